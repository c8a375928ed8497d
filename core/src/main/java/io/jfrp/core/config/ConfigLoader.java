package io.jfrp.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** Reads, checks and binds config files: every problem at once, or an immutable config and its warnings. */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** A config that passed, with warnings about keys that have no effect or unset variables. */
    public record Loaded<T>(T config, List<String> warnings) {
    }

    /** A duration as config files write it ("30", "500ms", "2m"), or null when it is not one. */
    public static java.time.Duration duration(String text) {
        return Durations.parse(text);
    }

    public static Loaded<ServerConfig> server(Path file) throws ConfigException {
        return server(file, Set.of());
    }

    public static Loaded<ClientConfig> client(Path file) throws ConfigException {
        return client(file, Set.of());
    }

    /** @param allowUnsafe frp's unsafe features the operator allowed ({@code --allow-unsafe TokenSourceExec}) */
    public static Loaded<ServerConfig> server(Path file, Set<String> allowUnsafe) throws ConfigException {
        return load(file, System.getenv(), allowUnsafe, LegacyIni.Side.SERVER, ServerConfig::read);
    }

    public static Loaded<ClientConfig> client(Path file, Set<String> allowUnsafe) throws ConfigException {
        return load(file, System.getenv(), allowUnsafe, LegacyIni.Side.CLIENT, ClientConfig::read);
    }

    /** The server's file with the users of its config centre's documents ({@code configSource.etcd}), checked as one config. */
    public static Loaded<ServerConfig> server(Path file, List<ConfigDocument> documents) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ConfigNode root = ConfigFiles.parse(file, System.getenv(), problems, warnings, LegacyIni.Side.SERVER);
        if (root == null) {
            throw new ConfigException(problems);
        }
        return bind(file, root, System.getenv(), Set.of(), documents, problems, warnings, ServerConfig::read);
    }

    /**
     * The client's file with the proxies of its config centre's documents ({@code configSource.etcd}),
     * checked as one config: a problem in a document names its key and line.
     */
    public static Loaded<ClientConfig> client(Path file, List<ConfigDocument> documents) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ConfigNode root = ConfigFiles.parse(file, System.getenv(), problems, warnings, LegacyIni.Side.CLIENT);
        if (root == null) {
            throw new ConfigException(problems);
        }
        return bind(file, root, System.getenv(), Set.of(), documents, problems, warnings, ClientConfig::read);
    }

    /**
     * A legacy INI file as frp's v1 TOML (what {@code verify --convert} prints), templates kept as written.
     * @param server whether the file is a server's ([common] read as frps's)
     * @throws ConfigException when the file cannot be read or is not INI
     */
    public static String iniAsToml(Path file, boolean server) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        String text;
        try {
            text = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, null, "cannot read the file: " + e)));
        }
        if (!file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ini") && !LegacyIni.looksLikeIni(text)) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, null,
                    "not a legacy INI file (no [common] section): nothing to convert")));
        }
        ConfigNode root = LegacyIni.parse(text, file.toString(), server ? LegacyIni.Side.SERVER : LegacyIni.Side.CLIENT,
                problems);
        if (!problems.isEmpty() || root == null) {
            throw new ConfigException(problems);
        }
        return TomlText.write(root);
    }

    /** frp's names of the features {@code --allow-unsafe} may allow. */
    public static Set<String> unsafeFeatures() {
        return TokenSource.KNOWN_UNSAFE;
    }

    /** The name problems of settings given as command-line flags carry in place of a file's. */
    public static final String COMMAND_LINE = "command line";

    /**
     * frps run from flags alone ({@code frps -p 7000 -t TOKEN}): {@code settings} holds the v1 keys the
     * flags set (dotted, e.g. {@code "transport.tls.force"}), checked exactly as a file's would be.
     */
    public static Loaded<ServerConfig> serverFromFlags(Map<String, Object> settings) throws ConfigException {
        Loaded<ServerConfig> l = bind(Path.of(COMMAND_LINE), FlagSettings.tree(settings), System.getenv(), Set.of(),
                List.of(), new ArrayList<>(), new ArrayList<>(), ServerConfig::read);
        // No file, so no directory of its own: the self-signed certificate goes to the temporary directory,
        // one per port so its fingerprint survives a restart, never into whatever directory it was started in.
        Path data = Path.of(System.getProperty("java.io.tmpdir"), "jfrps-data-" + l.config().bindPort());
        return new Loaded<>(l.config().withDataDir(data), l.warnings());
    }

    /** frpc run from flags alone ({@code frpc tcp -s ADDR -l 22 -r 6000}); proxies as a list of maps. */
    public static Loaded<ClientConfig> clientFromFlags(Map<String, Object> settings) throws ConfigException {
        return bind(Path.of(COMMAND_LINE), FlagSettings.tree(settings), System.getenv(), Set.of(), List.of(),
                new ArrayList<>(), new ArrayList<>(), ClientConfig::read);
    }

    static <T> Loaded<T> load(Path file, Map<String, String> env, LegacyIni.Side side,
                              BiFunction<ConfigSection, Path, T> reader) throws ConfigException {
        return load(file, env, Set.of(), side, reader);
    }

    static <T> Loaded<T> load(Path file, Map<String, String> env, Set<String> allowUnsafe, LegacyIni.Side side,
                              BiFunction<ConfigSection, Path, T> reader) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ConfigNode root = ConfigFiles.parse(file, env, problems, warnings, side);
        if (root == null) {
            throw new ConfigException(problems);
        }
        return bind(file, root, env, allowUnsafe, List.of(), problems, warnings, reader);
    }

    private static <T> Loaded<T> bind(Path file, ConfigNode root, Map<String, String> env, Set<String> allowUnsafe,
                                      List<ConfigDocument> documents, List<ConfigProblem> problems, List<String> warnings,
                                      BiFunction<ConfigSection, Path, T> reader) throws ConfigException {
        if (!root.isMap()) {
            problems.add(new ConfigProblem(file.toString(), root.line(), root.column(), null,
                    "the document is " + root.display() + " (expected: a table of settings)"));
            throw new ConfigException(problems, warnings);
        }
        ConfigSection section = new ConfigSection(file.toString(), "", root, problems, warnings);
        section.env(env);
        section.allowUnsafe(allowUnsafe);
        section.documents(documents);
        T config = reader.apply(section, file);
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
            throw new ConfigException(problems, warnings);
        }
        return new Loaded<>(config, List.copyOf(warnings));
    }
}
