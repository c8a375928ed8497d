package io.jfrp.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * frp's store ({@code store.path}): proxies created, changed and deleted at run time through the admin
 * API, kept in a JSON file so they outlive the process. A proxy is frp's store form,
 * {@code {"name": .., "type": "tcp", "tcp": {localPort: .., ..}}}, checked by exactly the rules of a
 * {@code [[proxies]]} entry (its block holds the same keys). The file is written whole, through a
 * temporary file and a rename, after every change. Thread-safe.
 */
public final class ProxyStore {

    /** Why a request was refused: the HTTP status frp answers with, and the words. */
    public static final class Refused extends Exception {
        private final int status;

        public Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Path file;
    /** Each proxy's body as posted (its JSON tree), by name, in the order they were created. */
    private final Map<String, ConfigNode> bodies = new LinkedHashMap<>();
    private final Map<String, ProxyConfig> proxies = new LinkedHashMap<>();

    private ProxyStore(Path file) {
        this.file = file;
    }

    /** The store kept in {@code file} (none yet: empty). A file this client cannot read back is a config problem. */
    public static ProxyStore open(Path file) throws ConfigException {
        ProxyStore store = new ProxyStore(file);
        if (!Files.exists(file)) {
            return store;
        }
        List<ConfigProblem> problems = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, null, "cannot read the store: " + e)));
        }
        ConfigNode root = ConfigFiles.json(text, file.toString(), problems);
        if (root != null && root.isMap() && root.asMap().get("proxies") != null && root.asMap().get("proxies").value() instanceof List<?> list) {
            for (Object o : list) {
                ConfigNode body = (ConfigNode) o;
                ProxyConfig p = store.check(body, file.toString(), problems);
                if (p != null) {
                    store.bodies.put(p.name(), body);
                    store.proxies.put(p.name(), p);
                }
            }
        } else if (root != null) {
            problems.add(new ConfigProblem(file.toString(), root.line(), root.column(), null,
                    "expected {\"proxies\": [...]}, as this client writes its store"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return store;
    }

    public synchronized List<ProxyConfig> proxies() {
        return List.copyOf(proxies.values());
    }

    /** Every proxy of the store, as {@code {"proxies": [..]}}. */
    public synchronized String list() {
        return json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("proxies");
            for (ConfigNode b : bodies.values()) {
                write(g, b);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The proxy {@code name} as it was posted; null when the store has none of that name. */
    public synchronized String get(String name) {
        ConfigNode b = bodies.get(name);
        return b == null ? null : json(g -> write(g, b));
    }

    /** Adds a proxy; {@code taken} says whether the config file has a proxy of that name already. */
    public synchronized ProxyConfig create(String body, java.util.function.Predicate<String> taken) throws Refused, IOException {
        ConfigNode tree = parse(body);
        ProxyConfig p = checked(tree);
        if (bodies.containsKey(p.name()) || taken.test(p.name())) {
            throw new Refused(409, "proxy " + p.name() + " exists already");
        }
        bodies.put(p.name(), tree);
        proxies.put(p.name(), p);
        save();
        return p;
    }

    /** Replaces proxy {@code name}; the body must name the same proxy. */
    public synchronized ProxyConfig update(String name, String body) throws Refused, IOException {
        if (!bodies.containsKey(name)) {
            throw new Refused(404, "no proxy " + name + " in the store");
        }
        ConfigNode tree = parse(body);
        ProxyConfig p = checked(tree);
        if (!p.name().equals(name)) {
            throw new Refused(400, "the body names proxy " + p.name() + ", the path " + name);
        }
        bodies.put(name, tree);
        proxies.put(name, p);
        save();
        return p;
    }

    /** @return false when the store has no proxy of that name */
    public synchronized boolean delete(String name) throws IOException {
        if (bodies.remove(name) == null) {
            return false;
        }
        proxies.remove(name);
        save();
        return true;
    }

    private static ConfigNode parse(String body) throws Refused {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigNode tree = ConfigFiles.json(body, "request body", problems);
        if (tree == null || !tree.isMap()) {
            throw new Refused(400, problems.isEmpty() ? "the body is not a JSON object" : problems.get(0).toString());
        }
        return tree;
    }

    private ProxyConfig checked(ConfigNode tree) throws Refused {
        List<ConfigProblem> problems = new ArrayList<>();
        ProxyConfig p = check(tree, "request body", problems);
        if (p == null || !problems.isEmpty()) {
            throw new Refused(400, problems.isEmpty() ? "not a proxy" : String.join("; ",
                    problems.stream().map(ConfigProblem::toString).toList()));
        }
        return p;
    }

    /**
     * frp's store form as a {@code [[proxies]]} entry: name and type, and the block named by the type
     * holding the rest. A block of another type is refused, as frp refuses it.
     */
    private ProxyConfig check(ConfigNode tree, String where, List<ConfigProblem> problems) {
        if (!tree.isMap()) {
            problems.add(new ConfigProblem(where, tree.line(), tree.column(), null, "a proxy is a JSON object"));
            return null;
        }
        Map<String, ConfigNode> in = tree.asMap();
        ConfigNode type = in.get("type");
        String t = type == null || !(type.value() instanceof String s) ? "" : s;
        Map<String, ConfigNode> flat = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : in.entrySet()) {
            String k = e.getKey();
            if (k.equals(t) && e.getValue().isMap()) {
                flat.putAll(e.getValue().asMap());
            } else if (ProxyType.of(k).isPresent() || k.equals("stcp") || k.equals("sudp") || k.equals("xtcp")) {
                problems.add(new ConfigProblem(where, e.getValue().line(), e.getValue().column(), k,
                        "a block for " + k + " in a proxy of type \"" + t + "\""));
                return null;
            } else {
                flat.put(k, e.getValue());
            }
        }
        List<String> warnings = new ArrayList<>();
        ConfigSection s = new ConfigSection(where, "", new ConfigNode(flat, tree.line(), tree.column()), problems, warnings);
        ProxyConfig p = ProxyConfigReader.read(s, UdpProxyConfig.DEFAULT_PACKET_SIZE);
        s.finish();
        return problems.isEmpty() ? p : null;
    }

    private void save() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".store", ".tmp");
        try {
            Files.writeString(tmp, list() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private interface Writer {
        void to(JsonGenerator g) throws IOException;
    }

    private static String json(Writer w) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            w.to(g);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, ConfigNode n) throws IOException {
        Object v = n.value();
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, (ConfigNode) e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, (ConfigNode) o);
            }
            g.writeEndArray();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long x) {
            g.writeNumber(x);
        } else if (v instanceof Double x) {
            g.writeNumber(x);
        } else if (v instanceof Boolean x) {
            g.writeBoolean(x);
        } else {
            g.writeNull();
        }
    }
}
