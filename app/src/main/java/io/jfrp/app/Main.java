package io.jfrp.app;

import picocli.CommandLine;

import java.util.Arrays;

/**
 * Entry point of the shaded jar. The bin/ scripts pass their own name first (jfrps, jfrpc, jfrp) so
 * one jar serves all three commands.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String tool = args.length > 0 ? args[0] : "jfrp";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        Object command = switch (tool) {
            case "jfrps" -> new ServerCommand();
            case "jfrpc" -> new ClientCommand();
            case "jfrp" -> new JfrpCommand();
            default -> null;
        };
        if (command == null) {
            command = new JfrpCommand();
            rest = args;
        }
        int code = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).execute(rest);
        System.exit(code);
    }
}
