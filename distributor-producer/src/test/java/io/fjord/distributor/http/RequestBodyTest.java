package io.fjord.distributor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.distributor.push.PushException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestBodyTest {
  private static InputStream bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return new ByteArrayInputStream(b);
  }

  @ParameterizedTest(name = "{0} bytes, Content-Length {1}, cap {2}")
  @CsvSource({"0, 0, 100", "0, -1, 100", "100, 100, 100", "100, -1, 100", "99, -1, 100", "5000, -1, 100000", "20000, 20000, 100000"})
  void readsBodiesUpToTheCap(int size, long contentLength, long cap) {
    byte[] body = RequestBody.read(bytes(size), contentLength, cap);
    assertThat(body).hasSize(size);
    for (int i = 0; i < size; i++) {
      assertThat(body[i]).isEqualTo((byte) i);
    }
  }

  @ParameterizedTest(name = "{0} bytes, Content-Length {1}, cap {2}")
  @CsvSource({"101, -1, 100", "101, 101, 100", "101, 50, 100", "5000, -1, 100"})
  void refusesBodiesOverTheCap(int size, long contentLength, long cap) {
    assertThatThrownBy(() -> RequestBody.read(bytes(size), contentLength, cap))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.BODY_TOO_LARGE))
        .hasMessageContaining("request body too large");
  }

  @ParameterizedTest(name = "{0} bytes, Content-Length {1}, cap {2}")
  @CsvSource({"5000, 5000, 100", "5000, -1, 100", "300000, -1, 1000"})
  void aRefusedBodyIsReadToItsEndSoTheSenderSeesThe413(int size, long contentLength, long cap) {
    InputStream in = bytes(size);
    assertThatThrownBy(() -> RequestBody.read(in, contentLength, cap))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.BODY_TOO_LARGE));
    assertThat(in).isEmpty(); // nothing left unread for the kernel to reset the connection over
  }

  @Test
  void anAnnouncedLengthBeyondTheDrainLimitIsRefusedBeforeReading() {
    InputStream never = new InputStream() {
      @Override
      public int read() {
        throw new AssertionError("must not read");
      }
    };
    assertThatThrownBy(() -> RequestBody.read(never, 10L << 30, 10 << 20))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.BODY_TOO_LARGE))
        .hasMessage("request body too large: more than 10MB (distributor.max_request_body_size)");
  }
}
