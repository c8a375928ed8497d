package io.jfrp.core.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * frpc's {@code includes}: more files whose {@code [[proxies]]} join the client's, as frp reads them.
 * A path is taken from the working directory; its last part may be a glob ({@code conf.d/*.toml}).
 * Each file is parsed as the main one is (templates, format by extension or content) and checked
 * under its own name, so a problem in it names it and its line.
 */
final class IncludedFiles {

    private IncludedFiles() {
    }

    /** The sections of the files {@code s}'s {@code includes} names, in order; problems are added to {@code s}'s. */
    static List<ConfigSection> read(ConfigSection s, Map<String, String> env) {
        List<ConfigSection> out = new ArrayList<>();
        if (!s.has("includes")) {
            return out;
        }
        ConfigNode list = s.node("includes");
        if (!list.isList()) {
            s.problem("includes", list, list.display() + " (expected: a list of file paths)");
            return out;
        }
        // A legacy INI file includes INI files of proxy sections, which have no [common] to be known by.
        boolean ini = isIni(Path.of(s.file()));
        for (ConfigNode item : list.asList()) {
            if (!(item.value() instanceof String pattern) || pattern.isEmpty()) {
                s.problem("includes", item, item.display() + " (expected: a file path)");
                continue;
            }
            List<Path> files = matching(pattern);
            if (files.isEmpty()) {
                s.warnings().add(s.file() + ":" + item.line() + ": includes: no file matches " + pattern);
            }
            for (Path f : files) {
                ConfigNode root = ini ? iniProxies(f, env, s) : ConfigFiles.parse(f, env, s.problems(), s.warnings(),
                        LegacyIni.Side.CLIENT);
                if (root == null) {
                    continue;
                }
                if (!root.isMap()) {
                    s.problems().add(new ConfigProblem(f.toString(), root.line(), root.column(), null,
                            "the document is " + root.display() + " (expected: [[proxies]] tables)"));
                    continue;
                }
                out.add(new ConfigSection(f.toString(), "", root, s.problems(), s.warnings()));
            }
        }
        return out;
    }

    private static boolean isIni(Path main) {
        if (main.getFileName() != null && main.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ini")) {
            return true;
        }
        try {
            return LegacyIni.looksLikeIni(Files.readString(main));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static ConfigNode iniProxies(Path f, Map<String, String> env, ConfigSection s) {
        try {
            String text = ConfigTemplate.render(Files.readString(f), env, f.toString(), s.warnings(), s.problems());
            return LegacyIni.parse(text, f.toString(), LegacyIni.Side.CLIENT, s.problems());
        } catch (IOException e) {
            s.problems().add(new ConfigProblem(f.toString(), 0, 0, null, "cannot read the file: " + e));
            return null;
        }
    }

    private static List<Path> matching(String pattern) {
        Path p = Path.of(pattern).toAbsolutePath().normalize();
        Path dir = p.getParent();
        String glob = p.getFileName().toString();
        List<Path> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
