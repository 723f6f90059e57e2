package io.fjord.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the server's resident memory (VmRSS of /proc/PID/status) and the size of its data
 * directory: apparent bytes of all files and allocated bytes as {@code du -sk} counts them (Kafka
 * pre-allocates sparse index files, so the two differ). Finds the pid listening on a port with
 * {@code ss} when none is given. Linux only; stateless.
 */
final class ServerProbe {
  private ServerProbe() {}

  static long rssBytes(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** The pid of the process listening on {@code port}, or -1. */
  static long pidListeningOn(int port) {
    try {
      Process p = new ProcessBuilder("ss", "-Hltnp", "sport = :" + port).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Matcher m = Pattern.compile("pid=(\\d+)").matcher(out);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  static long apparentBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException gone) {
          return 0; // a segment deleted while walking
        }
      }).sum();
    }
  }

  static long allocatedBytes(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return Long.parseLong(out.split("\\s+")[0]) * 1024;
  }
}
