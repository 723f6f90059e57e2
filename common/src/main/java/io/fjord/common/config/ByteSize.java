package io.fjord.common.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes written as Loki writes sizes in its configuration: {@code 1536}, {@code 256KB},
 * {@code 1.5MB}, {@code 4MiB}. Units are binary (1KB = 1024 bytes), as in Loki. Immutable.
 */
public record ByteSize(long bytes) {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?b?|b)?", Pattern.CASE_INSENSITIVE);

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative: " + bytes);
    }
  }

  public static ByteSize ofBytes(long bytes) {
    return new ByteSize(bytes);
  }

  public static ByteSize ofKiB(long kib) {
    return new ByteSize(kib * 1024);
  }

  public static ByteSize ofMiB(long mib) {
    return new ByteSize(mib * 1024 * 1024);
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming it when it is not a size. */
  public static ByteSize parse(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid size: \"" + text + "\" (examples: 1024, 256KB, 1.5MB)");
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long factor = switch (unit.charAt(0)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      case 't' -> 1L << 40;
      default -> 1L;
    };
    return new ByteSize((long) (value * factor));
  }

  /** The exact binary form: {@code 256KB}, {@code 1536KB}, {@code 100B}. */
  @Override
  public String toString() {
    String[] units = {"TB", "GB", "MB", "KB"};
    for (int i = 0; i < units.length; i++) {
      long factor = 1L << (10 * (4 - i));
      if (bytes != 0 && bytes % factor == 0) {
        return bytes / factor + units[i];
      }
    }
    return bytes + "B";
  }
}
