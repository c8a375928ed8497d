package io.jfrp.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a config file into a {@link ConfigNode} tree: frp's templates first ({@link ConfigTemplate}),
 * then TOML, YAML, JSON or legacy INI by the file's extension, or, as frp does for a file without one,
 * by its content. Syntax errors become problems with positions.
 */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static ConfigNode parse(Path file, Map<String, String> env, List<ConfigProblem> problems,
                            List<String> warnings, LegacyIni.Side side) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new ConfigProblem(name, 0, 0, null, "cannot read the file: " + e));
            return null;
        }
        return parse(text, name, file.getFileName().toString(), env, problems, warnings, side);
    }

    /** A document read elsewhere (a config centre's key): {@code name} names it in problems, {@code fileName}'s ending chooses the format. */
    static ConfigNode parse(String text, String name, String fileName, Map<String, String> env, List<ConfigProblem> problems,
                            List<String> warnings, LegacyIni.Side side) {
        text = ConfigTemplate.render(text, env, name, warnings, problems);
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return yaml(text, name, problems);
        }
        if (lower.endsWith(".json")) {
            return json(text, name, problems);
        }
        if (lower.endsWith(".ini")) {
            return LegacyIni.parse(text, name, side, problems);
        }
        if (lower.endsWith(".toml")) {
            return toml(text, name, problems);
        }
        return byContent(text, name, side, problems);
    }

    /**
     * A file without a known extension (frp's suite writes them so, and many users do): JSON when it
     * starts with a brace, legacy INI when it has a [common] section, else TOML, or YAML when only YAML
     * can read it. When nothing can, the TOML problems are the ones reported.
     */
    private static ConfigNode byContent(String text, String name, LegacyIni.Side side, List<ConfigProblem> problems) {
        if (text.stripLeading().startsWith("{")) {
            return json(text, name, problems);
        }
        if (LegacyIni.looksLikeIni(text)) {
            return LegacyIni.parse(text, name, side, problems);
        }
        List<ConfigProblem> asToml = new ArrayList<>();
        ConfigNode toml = toml(text, name, asToml);
        if (asToml.isEmpty()) {
            return toml;
        }
        List<ConfigProblem> asYaml = new ArrayList<>();
        ConfigNode yaml = yaml(text, name, asYaml);
        if (asYaml.isEmpty() && yaml != null && yaml.isMap()) {
            return yaml;
        }
        problems.addAll(asToml);
        return null;
    }

    // ---- TOML

    private static ConfigNode toml(String text, String file, List<ConfigProblem> problems) {
        TomlParseResult r;
        try {
            r = Toml.parse(text);
        } catch (TomlParseError e) {
            // tomlj throws some errors instead of listing them: an invalid escape in a quoted key of a
            // [[table]] header, found by ConfigFuzzTest.
            problems.add(tomlProblem(file, e));
            return null;
        }
        if (r.hasErrors()) {
            for (TomlParseError e : r.errors()) {
                problems.add(tomlProblem(file, e));
            }
            return null;
        }
        return tomlTable(r, 1, 1);
    }

    private static ConfigProblem tomlProblem(String file, TomlParseError e) {
        TomlPosition p = e.position();
        return new ConfigProblem(file, p == null ? 0 : p.line(), p == null ? 0 : p.column(), null,
                "TOML syntax error: " + e.getMessage().replaceFirst(" \\(line \\d+, column \\d+\\)$", ""));
    }

    private static ConfigNode tomlTable(TomlTable t, int line, int column) {
        Map<String, ConfigNode> map = new LinkedHashMap<>();
        for (String key : t.keySet()) {
            List<String> path = List.of(key);
            TomlPosition p = t.inputPositionOf(path);
            int l = p == null ? line : p.line();
            int c = p == null ? column : p.column();
            map.put(key, tomlValue(t.get(path), l, c));
        }
        return new ConfigNode(map, line, column);
    }

    private static ConfigNode tomlValue(Object v, int line, int column) {
        if (v instanceof TomlTable t) {
            return tomlTable(t, line, column);
        }
        if (v instanceof TomlArray a) {
            List<ConfigNode> list = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                TomlPosition p = a.inputPositionOf(i);
                list.add(tomlValue(a.get(i), p == null ? line : p.line(), p == null ? column : p.column()));
            }
            return new ConfigNode(list, line, column);
        }
        if (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) {
            return new ConfigNode(v, line, column);
        }
        return new ConfigNode(String.valueOf(v), line, column);
    }

    // ---- YAML

    private static ConfigNode yaml(String text, String file, List<ConfigProblem> problems) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            Node root = new Yaml(options).compose(new StringReader(text));
            if (root == null) {
                return new ConfigNode(new LinkedHashMap<String, ConfigNode>(), 1, 1);
            }
            return yamlNode(root, root.getStartMark());
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            problems.add(new ConfigProblem(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                    null, "YAML syntax error: " + e.getProblem()));
            return null;
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem(file, 0, 0, null, "YAML syntax error: " + e.getMessage()));
            return null;
        }
    }

    private static ConfigNode yamlNode(Node n, Mark at) {
        int line = at.getLine() + 1;
        int column = at.getColumn() + 1;
        if (n instanceof MappingNode m) {
            Map<String, ConfigNode> map = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
                map.put(key, yamlNode(t.getValueNode(), t.getKeyNode().getStartMark()));
            }
            return new ConfigNode(map, line, column);
        }
        if (n instanceof SequenceNode s) {
            List<ConfigNode> list = new ArrayList<>();
            for (Node item : s.getValue()) {
                list.add(yamlNode(item, item.getStartMark()));
            }
            return new ConfigNode(list, line, column);
        }
        ScalarNode s = (ScalarNode) n;
        String v = s.getValue();
        Tag tag = s.getTag();
        Object value = v;
        if (Tag.INT.equals(tag)) {
            try {
                value = Long.decode(v.replace("_", ""));
            } catch (NumberFormatException e) {
                value = v;
            }
        } else if (Tag.FLOAT.equals(tag)) {
            try {
                value = Double.parseDouble(v.replace("_", ""));
            } catch (NumberFormatException e) {
                value = v;
            }
        } else if (Tag.BOOL.equals(tag)) {
            value = switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "y" -> Boolean.TRUE;
                default -> Boolean.FALSE;
            };
        } else if (Tag.NULL.equals(tag)) {
            value = null;
        }
        return new ConfigNode(value, line, column);
    }

    // ---- JSON

    static ConfigNode json(String text, String file, List<ConfigProblem> problems) {
        try (JsonParser p = new JsonFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new ConfigNode(new LinkedHashMap<String, ConfigNode>(), 1, 1);
            }
            JsonLocation loc = p.currentTokenLocation();
            ConfigNode root = jsonValue(p, loc.getLineNr(), loc.getColumnNr());
            if (p.nextToken() != null) {
                JsonLocation after = p.currentTokenLocation();
                problems.add(new ConfigProblem(file, after.getLineNr(), after.getColumnNr(), null,
                        "JSON syntax error: text after the end of the document"));
                return null;
            }
            return root;
        } catch (JsonParseException e) {
            JsonLocation l = e.getLocation();
            problems.add(new ConfigProblem(file, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), null,
                    "JSON syntax error: " + e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add(new ConfigProblem(file, 0, 0, null, "JSON syntax error: " + e.getMessage()));
            return null;
        }
    }

    private static ConfigNode jsonValue(JsonParser p, int line, int column) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, ConfigNode> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    JsonLocation at = p.currentTokenLocation();
                    String key = p.currentName();
                    p.nextToken();
                    map.put(key, jsonValue(p, at.getLineNr(), at.getColumnNr()));
                }
                return new ConfigNode(map, line, column);
            }
            case START_ARRAY: {
                List<ConfigNode> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    JsonLocation at = p.currentTokenLocation();
                    list.add(jsonValue(p, at.getLineNr(), at.getColumnNr()));
                }
                return new ConfigNode(list, line, column);
            }
            case VALUE_STRING:
                return new ConfigNode(p.getText(), line, column);
            case VALUE_NUMBER_INT:
                return new ConfigNode(p.getLongValue(), line, column);
            case VALUE_NUMBER_FLOAT:
                return new ConfigNode(p.getDoubleValue(), line, column);
            case VALUE_TRUE:
                return new ConfigNode(Boolean.TRUE, line, column);
            case VALUE_FALSE:
                return new ConfigNode(Boolean.FALSE, line, column);
            default:
                return new ConfigNode(null, line, column);
        }
    }
}
