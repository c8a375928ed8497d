package io.jfrp.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jfrp server|client|demo}: one command for all, for those who prefer it to jfrps and jfrpc. */
@Command(name = "jfrp", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "A reverse-proxy tunnel that reads frp's configuration.",
        subcommands = {ServerCommand.class, ClientCommand.class, DemoCommand.class})
final class JfrpCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
