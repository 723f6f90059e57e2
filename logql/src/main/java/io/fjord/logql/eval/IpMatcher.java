package io.fjord.logql.eval;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Matches IP addresses against an {@code ip("...")} pattern: a single IPv4/IPv6 address, a range
 * {@code a-b}, or a CIDR {@code a/n}. As a label filter the whole value must be an address in the
 * pattern; as a line filter any address-looking word of the line may be. Never resolves names.
 * Immutable and thread-safe.
 */
final class IpMatcher {
  private final BigInteger low;
  private final BigInteger high;
  private final boolean v6;

  private IpMatcher(BigInteger low, BigInteger high, boolean v6) {
    this.low = low;
    this.high = high;
    this.v6 = v6;
  }

  /** Parses the pattern; throws {@link IllegalArgumentException} when it is not an address, range or CIDR. */
  static IpMatcher of(String pattern) {
    String p = pattern.trim();
    int dash = p.indexOf('-');
    if (dash > 0) {
      byte[] a = parse(p.substring(0, dash).trim());
      byte[] b = parse(p.substring(dash + 1).trim());
      if (a == null || b == null || a.length != b.length) {
        throw invalid(pattern);
      }
      return new IpMatcher(new BigInteger(1, a), new BigInteger(1, b), a.length == 16);
    }
    int slash = p.indexOf('/');
    if (slash > 0) {
      byte[] a = parse(p.substring(0, slash));
      int bits;
      try {
        bits = Integer.parseInt(p.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw invalid(pattern);
      }
      if (a == null || bits < 0 || bits > a.length * 8) {
        throw invalid(pattern);
      }
      int hostBits = a.length * 8 - bits;
      BigInteger mask = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
      BigInteger base = new BigInteger(1, a).andNot(mask);
      return new IpMatcher(base, base.or(mask), a.length == 16);
    }
    byte[] a = parse(p);
    if (a == null) {
      throw invalid(pattern);
    }
    BigInteger v = new BigInteger(1, a);
    return new IpMatcher(v, v, a.length == 16);
  }

  private static IllegalArgumentException invalid(String pattern) {
    return new IllegalArgumentException("invalid IP pattern: " + pattern);
  }

  /** True when {@code value} is exactly one address inside the pattern. */
  boolean matchesValue(String value) {
    byte[] a = parse(value.trim());
    if (a == null || (a.length == 16) != v6) {
      return false;
    }
    BigInteger v = new BigInteger(1, a);
    return v.compareTo(low) >= 0 && v.compareTo(high) <= 0;
  }

  /** True when some address-shaped word of {@code line} is inside the pattern. */
  boolean matchesLine(String line) {
    int n = line.length();
    int i = 0;
    while (i < n) {
      if (!isAddressChar(line.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && isAddressChar(line.charAt(i))) {
        i++;
      }
      if (i - start >= 2 && matchesValue(trimDots(line.substring(start, i)))) {
        return true;
      }
    }
    return false;
  }

  private static String trimDots(String s) {
    int e = s.length();
    while (e > 0 && s.charAt(e - 1) == '.') {
      e--;
    }
    return s.substring(0, e);
  }

  private static boolean isAddressChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
  }

  /** 4 or 16 bytes, or null when {@code s} is not a literal address (no DNS lookup is ever made). */
  static byte[] parse(String s) {
    if (s.isEmpty()) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      return parseV4(s);
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isAddressChar(s.charAt(i))) {
        return null;
      }
    }
    try {
      byte[] b = InetAddress.getByName(s.startsWith("[") ? s : "[" + s + "]").getAddress();
      if (b.length == 4) {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(b, 0, mapped, 12, 4);
        return mapped;
      }
      return b;
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] parseV4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int i = 0;
    int n = s.length();
    while (part < 4) {
      int start = i;
      int v = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
        v = v * 10 + (s.charAt(i) - '0');
        i++;
      }
      if (i == start || v > 255 || (i - start > 1 && s.charAt(start) == '0')) {
        return null;
      }
      out[part++] = (byte) v;
      if (part < 4) {
        if (i >= n || s.charAt(i) != '.') {
          return null;
        }
        i++;
      }
    }
    return i == n ? out : null;
  }
}
