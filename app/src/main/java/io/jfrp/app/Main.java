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

    /**
     * picocli registers a converter for every java.sql and java.time type by reflection when a
     * CommandLine is made; none of our options has such a type, and the ~100 JDK classes they load
     * would stay in every server's and client's memory for its whole life (~0.7 MB).
     */
    private static final String UNUSED_CONVERTERS = "java\\.sql\\..*,java\\.time\\..*";

    public static void main(String[] args) {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", UNUSED_CONVERTERS);
        }
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
        if (rest.length == 1 && rest[0].equals("-v")) {
            rest = new String[]{"--version"}; // frp's -v, beside picocli's -V
        }
        CommandLine cli = new CommandLine(command);
        if (command instanceof ClientCommand) {
            // frp's one-line clients: frpc tcp|udp|http|... -s ADDR -l PORT ...
            for (String type : OneProxyCommand.TYPES) {
                cli.addSubcommand(type, new OneProxyCommand(type));
            }
        }
        int code = cli.setCaseInsensitiveEnumValuesAllowed(true).execute(rest);
        System.exit(code);
    }
}
