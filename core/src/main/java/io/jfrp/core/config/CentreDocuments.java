package io.jfrp.core.config;

/** A config centre's document read as a section of its own, named by its key, its problems with the file's. */
final class CentreDocuments {

    private CentreDocuments() {
    }

    /**
     * @param expected what the document must hold, for the problem when it is no table
     * @return its section, or null when it cannot be read (its problems are added to {@code main}'s)
     */
    static ConfigSection section(ConfigDocument d, ConfigSection main, LegacyIni.Side side, String expected) {
        ConfigNode root = ConfigFiles.parse(d.text(), d.name(), d.name().substring(d.name().lastIndexOf('/') + 1),
                main.env(), main.problems(), main.warnings(), side);
        if (root == null) {
            return null;
        }
        if (!root.isMap()) {
            main.problems().add(new ConfigProblem(d.name(), root.line(), root.column(), null,
                    "the document is " + root.display() + " (expected: " + expected + ")"));
            return null;
        }
        return new ConfigSection(d.name(), "", root, main.problems(), main.warnings());
    }
}
