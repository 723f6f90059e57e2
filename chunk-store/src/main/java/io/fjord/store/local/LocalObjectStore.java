package io.fjord.store.local;

import io.fjord.store.ObjectKeys;
import io.fjord.store.ObjectNotFoundException;
import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStoreUnavailableException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An {@link ObjectStore} in a local directory: the default for {@code fjord all}. A key's segments
 * are subdirectories ({@code a/b/c} is the file {@code <root>/a/b/c}). A put writes a temporary file
 * under {@code <root>/.fjord-tmp/}, syncs it, and renames it into place atomically, then syncs the
 * directory: a reader sees the old object or the whole new one, and an acknowledged put survives a
 * crash. A temporary file left by a process killed mid-put stays in {@code .fjord-tmp} (never listed).
 * Keys are checked by {@link ObjectKeys} and must not begin with the reserved segment
 * {@code .fjord-tmp}; no key can reach outside the root. Unlike S3, a key cannot also be the
 * directory of other keys ({@code a} and {@code a/b}): such a put is refused. Thread-safe (each
 * operation is a few atomic file-system calls; empty directories are pruned after a delete and
 * recreated by a put that races with the pruning).
 */
public final class LocalObjectStore implements ObjectStore {
  static final String TEMP_DIR = ".fjord-tmp";

  private final Path root;
  private final Path temp;

  public LocalObjectStore(Path directory) {
    this.root = directory.toAbsolutePath().normalize();
    this.temp = root.resolve(TEMP_DIR);
    try {
      Files.createDirectories(temp);
    } catch (IOException e) {
      throw new ObjectStoreUnavailableException("cannot create the object store directory " + root + ": " + e, e);
    }
  }

  public Path root() {
    return root;
  }

  @Override
  public void put(String key, byte[] bytes) {
    Path target = path(key);
    Path tmp = null;
    try {
      tmp = Files.createTempFile(temp, "put-", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      moveIntoPlace(key, tmp, target);
      syncDirectory(target.getParent());
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      throw new IllegalArgumentException("object key " + key + " collides with a directory of other keys "
          + "(or a parent of it is an object) in the local store", e);
    } catch (IOException e) {
      throw unavailable("put", key, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** Renames into place; retries when a concurrent delete pruned the parent directory meanwhile. */
  private void moveIntoPlace(String key, Path tmp, Path target) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.createDirectories(target.getParent());
        if (Files.isDirectory(target)) {
          throw new DirectoryNotEmptyException(target.toString());
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      } catch (NoSuchFileException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    Path p = path(key);
    try {
      return Optional.of(Files.readAllBytes(p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (Files.isDirectory(p)) {
        return Optional.empty(); // a directory of other keys is not an object
      }
      throw unavailable("get", key, e);
    }
  }

  @Override
  public byte[] getRange(String key, long offset, int length) {
    ObjectKeys.checkRange(offset, length);
    Path p = path(key);
    if (Files.isDirectory(p)) {
      throw new ObjectNotFoundException(key);
    }
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      if (offset >= size) {
        return new byte[0];
      }
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, size - offset));
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) {
          break; // truncated meanwhile: cannot happen with atomic puts, but never loop forever
        }
      }
      return buf.position() == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(key);
    } catch (IOException e) {
      throw unavailable("get range of", key, e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    ObjectKeys.checkPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : pathOf(prefix.substring(0, slash));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try {
      Files.walkFileTree(start, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (dir.equals(root)) {
            return FileVisitResult.CONTINUE;
          }
          if (dir.equals(temp)) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          String k = keyOf(dir) + "/";
          return k.startsWith(prefix) || prefix.startsWith(k) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            String k = keyOf(file);
            if (k.startsWith(prefix)) {
              keys.add(k);
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE; // deleted while we listed
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw unavailable("list", prefix, e);
    }
    keys.sort(ObjectKeys.UTF8_ORDER);
    return keys;
  }

  /** The subdirectories of the prefix's directory (never the temporary one), as key prefixes; one emptied
   * by a concurrent delete may still be named. */
  @Override
  public List<String> listPrefixes(String prefix) {
    ObjectKeys.checkDirectoryPrefix(prefix);
    Path dir = prefix.isEmpty() ? root : pathOf(prefix.substring(0, prefix.length() - 1));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (java.util.stream.Stream<Path> children = Files.list(dir)) {
      children.filter(c -> !c.equals(temp) && Files.isDirectory(c))
          .forEach(c -> out.add(prefix + c.getFileName() + "/"));
    } catch (NoSuchFileException e) {
      return List.of(); // pruned while we listed
    } catch (IOException e) {
      throw unavailable("list prefixes of", prefix, e);
    }
    out.sort(ObjectKeys.UTF8_ORDER);
    return out;
  }

  @Override
  public void delete(String key) {
    Path p = path(key);
    try {
      if (Files.isDirectory(p)) {
        return; // a directory of other keys is not an object
      }
      if (Files.deleteIfExists(p)) {
        pruneEmptyParents(p.getParent());
      }
    } catch (IOException e) {
      throw unavailable("delete", key, e);
    }
  }

  private void pruneEmptyParents(Path dir) {
    for (Path d = dir; d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
      try {
        Files.delete(d);
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (NoSuchFileException e) {
        // pruned by a concurrent delete: go on upwards
      } catch (IOException e) {
        return; // tidiness only: an empty directory left behind is harmless
      }
    }
  }

  @Override
  public void close() {
    // nothing held open between calls
  }

  @Override
  public String toString() {
    return "LocalObjectStore[" + root + "]";
  }

  private Path path(String key) {
    ObjectKeys.check(key);
    if (key.equals(TEMP_DIR) || key.startsWith(TEMP_DIR + "/")) {
      throw new IllegalArgumentException("object key " + key + " uses the reserved segment " + TEMP_DIR);
    }
    return pathOf(key);
  }

  /** The file of a checked key or key directory, refusing anything that would leave the root. */
  private Path pathOf(String checkedKey) {
    Path p = root;
    for (String segment : checkedKey.split("/")) {
      p = p.resolve(segment);
    }
    if (!p.normalize().startsWith(root) || p.equals(root)) {
      throw new IllegalArgumentException("object key " + checkedKey + " escapes the store directory");
    }
    return p;
  }

  private String keyOf(Path p) {
    Path rel = root.relativize(p);
    StringBuilder sb = new StringBuilder();
    for (Path part : rel) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a directory; the rename itself is still atomic
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // left in .fjord-tmp, never listed
      }
    }
  }

  private ObjectStoreUnavailableException unavailable(String op, String key, IOException e) {
    String why = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.toString();
    return new ObjectStoreUnavailableException("local store " + root + ": cannot " + op + " " + key + ": " + why, e);
  }
}
