package io.jfrp.app;

import io.jfrp.core.net.NettyTransport;
import io.jfrp.core.tls.TlsContexts;
import io.jfrp.protocol.Wire;
import io.netty.util.Version;
import picocli.CommandLine;

/** --version for every command: our version, the JVM, and which native pieces loaded. */
final class VersionInfo implements CommandLine.IVersionProvider {

    static final String VERSION = Wire.SOFTWARE_VERSION;

    @Override
    public String[] getVersion() {
        Version netty = Version.identify().get("netty-common");
        return new String[]{
                "jfrp " + VERSION,
                "Java " + System.getProperty("java.version") + ", Netty "
                        + (netty == null ? "?" : netty.artifactVersion()) + ", "
                        + NettyTransport.preferredName() + ", TLS " + TlsContexts.provider()
        };
    }
}
