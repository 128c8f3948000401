package io.github.ncpsnapshotbridge.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.support.Json;

/**
 * Lets only regular files of the drop folder through to be read. A symbolic link (to a key file, to
 * {@code /proc/self/environ}…) or any other special file is never opened: the entry itself (never what it points to)
 * moves to {@code .error/} with a reason beside it, so that nothing dropped stays behind. The move happens here,
 * because the file consumer never hands such an entry to the route.
 */
public class RegularFilesOnly implements GenericFileFilter<java.io.File> {

    private static final Logger LOG = Logger.getLogger(RegularFilesOnly.class);

    private final Path inbox;

    public RegularFilesOnly(Path inbox) {
        this.inbox = inbox;
    }

    @Override
    public boolean accept(GenericFile<java.io.File> file) {
        Path path = Path.of(file.getAbsoluteFilePath());
        if (file.isDirectory()) {
            return false;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false;
        }
        if (attributes.isRegularFile()) {
            return true;
        }
        String kind = attributes.isSymbolicLink() ? "a symbolic link" : "not a regular file";
        try {
            Path errors = InboxFiles.safeDir(inbox, InboxFiles.ERROR_DIR);
            String target = InboxFiles.freeName(errors, path.getFileName().toString());
            Files.move(path, errors.resolve(target), StandardCopyOption.ATOMIC_MOVE);
            ObjectNode reason = Json.MAPPER.createObjectNode();
            reason.put("file", path.getFileName().toString());
            reason.put("movedTo", InboxFiles.ERROR_DIR + "/" + target);
            reason.putArray("errors").addObject().putNull("field")
                    .put("message", kind + ": only regular files are read; it was not opened");
            InboxFiles.writeAtomically(errors.resolve(target + ".error.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(reason));
            LOG.warnf("Drop folder: %s is %s; moved to %s/ unread", path.getFileName(), kind, InboxFiles.ERROR_DIR);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Drop folder: %s is %s and is left unread (%s)", path.getFileName(), kind, e.toString());
        }
        return false;
    }
}
