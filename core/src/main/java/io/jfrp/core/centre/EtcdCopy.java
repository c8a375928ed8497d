package io.jfrp.core.centre;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jfrp.core.config.ConfigDocument;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The copy of a config centre's documents as they were applied last (beside a client's state file, in a
 * server's data directory): what it starts and runs on while etcd is down. Written whole to a temporary file and renamed over the copy,
 * so a crash leaves the old copy or the new one, never half of one.
 */
final class EtcdCopy {

    private static final JsonFactory JSON = new JsonFactory();

    /** What a copy holds. */
    record Kept(long revision, String savedAt, Map<String, String> documents) {
    }

    private final Path file;

    /** @param file null: nothing is kept (a client without a state file) */
    EtcdCopy(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void save(long revision, List<ConfigDocument> documents) throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("revision", revision);
            g.writeStringField("savedAt", java.time.Instant.now().toString());
            g.writeObjectFieldStart("documents");
            for (ConfigDocument d : documents) {
                g.writeStringField(d.name(), d.text());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the copy, or null when there is none (or it cannot be read: then it is no copy to run on) */
    Kept load() {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        long revision = 0;
        String savedAt = "";
        Map<String, String> docs = new TreeMap<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "revision" -> revision = p.getLongValue();
                    case "savedAt" -> savedAt = p.getText();
                    case "documents" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            p.nextToken();
                            docs.put(key, p.getText());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new Kept(revision, savedAt, docs);
    }
}
