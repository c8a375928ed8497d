package io.jfrp.app;

import io.jfrp.core.tls.TlsContexts;
import io.netty.channel.epoll.Epoll;
import io.netty.util.Version;
import picocli.CommandLine;

/** --version for every command: our version, the JVM, and which native pieces loaded. */
final class VersionInfo implements CommandLine.IVersionProvider {

    static final String VERSION = VersionInfo.class.getPackage().getImplementationVersion() == null
            ? "0.1.0" : VersionInfo.class.getPackage().getImplementationVersion();

    @Override
    public String[] getVersion() {
        Version netty = Version.identify().get("netty-common");
        return new String[]{
                "jfrp " + VERSION,
                "Java " + System.getProperty("java.version") + ", Netty "
                        + (netty == null ? "?" : netty.artifactVersion()) + ", "
                        + (Epoll.isAvailable() ? "epoll" : "nio") + ", TLS " + TlsContexts.provider()
        };
    }
}
