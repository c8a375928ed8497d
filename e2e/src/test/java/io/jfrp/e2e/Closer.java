package io.jfrp.e2e;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/** Closes what a test opened, newest first, even when the test failed halfway. */
final class Closer implements AfterEachCallback {

    private final List<AutoCloseable> open = new ArrayList<>();

    <T extends AutoCloseable> T keep(T c) {
        open.add(0, c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
