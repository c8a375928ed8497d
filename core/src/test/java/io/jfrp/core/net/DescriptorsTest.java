package io.jfrp.core.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DescriptorsTest {

    /** Read from /proc on Linux, the counts agree with the JDK's (which this process no longer loads). */
    @Test
    void descriptorCountsAgreeWithTheJdks() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/fd")));
        var jdk = (com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long jdkOpen = jdk.getOpenFileDescriptorCount();
        Descriptors ours = Descriptors.now();
        // One file more is counted as one more (tried a few times: another thread may open or close one meanwhile).
        boolean countedOneMore = false;
        for (int i = 0; i < 10 && !countedOneMore; i++) {
            long before = Descriptors.now().open();
            try (var extra = java.nio.channels.FileChannel.open(java.nio.file.Path.of("/dev/null"))) {
                countedOneMore = Descriptors.now().open() == before + 1;
            }
        }
        assertThat(countedOneMore).isTrue();
        assertThat(ours.limit()).isEqualTo(jdk.getMaxFileDescriptorCount());
        // Other threads of the test JVM may open or close a file between the two readings.
        assertThat(ours.open()).isBetween(jdkOpen - 3, jdkOpen + 3);
    }
}
