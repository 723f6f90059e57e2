package io.fjord.app.replay;

import io.fjord.app.tool.ToolUsageException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayOptionsTest {

  @Test
  void aTimeIsReadAsRfc3339WithItsOffset() throws Exception {
    assertThat(Position.parse("from", "2024-05-01T12:00:00+02:00"))
        .isEqualTo(new Position.Time(Instant.parse("2024-05-01T10:00:00Z")));
    assertThat(Position.parse("from", "2024-05-01T12:00:00.5Z"))
        .isEqualTo(new Position.Time(Instant.parse("2024-05-01T12:00:00.500Z")));
  }

  @Test
  void aPlainNumberIsAnOffsetForEveryPartition() throws Exception {
    assertThat(Position.parse("from", "0")).isEqualTo(new Position.Offset(0));
    assertThat(Position.parse("to", " 1200 ")).isEqualTo(new Position.Offset(1200));
  }

  @Test
  void partitionOffsetPairsNameTheirPartitionsOnly() throws Exception {
    Position p = Position.parse("from", "3:80,0:1200");
    assertThat(p).isEqualTo(new Position.PartitionOffsets(Map.of(0, 1200L, 3, 80L)));
    Position.PartitionOffsets po = (Position.PartitionOffsets) p;
    assertThat(po.of(3)).hasValue(80);
    assertThat(po.of(1)).isEmpty();
  }

  @Test
  void badPositionsAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> Position.parse("from", "yesterday")).isInstanceOf(ToolUsageException.class)
        .hasMessageContaining("--from").hasMessageContaining("RFC3339");
    assertThatThrownBy(() -> Position.parse("to", "1:5,1:6")).hasMessageContaining("--to")
        .hasMessageContaining("partition 1 is given twice");
    assertThatThrownBy(() -> Position.parse("from", "99999999999999999999")).hasMessageContaining("too large");
    assertThatThrownBy(() -> Position.parse("from", "-5")).hasMessageContaining("cannot read");
    assertThatThrownBy(() -> Position.parse("from", "")).hasMessageContaining("needs a value");
  }

  @Test
  void flagsAndConfigOverridesAreRead() throws Exception {
    ReplayOptions o = ReplayOptions.parse(List.of("--from", "2024-05-01T00:00:00Z", "--to=2024-05-02T00:00:00Z",
        "--tenant", "team-a", "--bootstrap-servers=k1:9092,k2:9092", "--logs-topic", "fjord-logs",
        "-config.file=/etc/fjord.yaml", "-storage.filesystem.directory=/data/chunks"));
    assertThat(o.from()).isEqualTo(new Position.Time(Instant.parse("2024-05-01T00:00:00Z")));
    assertThat(o.to()).isEqualTo(new Position.Time(Instant.parse("2024-05-02T00:00:00Z")));
    assertThat(o.tenant()).isEqualTo("team-a");
    assertThat(o.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
    assertThat(o.logsTopic()).isEqualTo("fjord-logs");
    assertThat(o.configFile()).isEqualTo(Path.of("/etc/fjord.yaml"));
    assertThat(o.overrides()).containsExactly(Map.entry("storage.filesystem.directory", "/data/chunks"));
  }

  @Test
  void defaultsLeaveTheEndTenantAndClusterOpen() throws Exception {
    ReplayOptions o = ReplayOptions.parse(List.of("--from=0"));
    assertThat(o.to()).isNull();
    assertThat(o.tenant()).isNull();
    assertThat(o.bootstrapServers()).isNull();
    assertThat(o.logsTopic()).isNull();
  }

  @Test
  void usageProblemsNameTheirFlag() {
    assertThatThrownBy(() -> ReplayOptions.parse(List.of("--to", "5"))).hasMessageContaining("--from is required");
    assertThatThrownBy(() -> ReplayOptions.parse(List.of("--from", "5", "--to", "5")))
        .hasMessageContaining("--to 5 is not after --from 5");
    assertThatThrownBy(() -> ReplayOptions.parse(List.of("--from", "2024-05-02T00:00:00Z", "--to",
        "2024-05-01T00:00:00Z"))).hasMessageContaining("is not after --from");
    assertThatThrownBy(() -> ReplayOptions.parse(List.of("--from", "0", "--topic", "x")))
        .hasMessageContaining("unknown flag --topic");
    assertThatThrownBy(() -> ReplayOptions.parse(List.of("--from"))).hasMessageContaining("--from needs a value");
    assertThatThrownBy(() -> ReplayOptions.parse(List.of("--from", "0", "--bootstrap-servers", "kafka")))
        .hasMessageContaining("\"kafka\" is not host:port");
    assertThatThrownBy(() -> ReplayOptions.parse(List.of("--from", "0", "--tenant", "a/b")))
        .hasMessageContaining("--tenant");
    assertThatThrownBy(() -> ReplayOptions.parse(List.of("--from", "0", "extra")))
        .hasMessageContaining("unexpected argument \"extra\"");
  }

  @Test
  void refusedRecordsAreNamedByReason() {
    assertThat(ReplayJob.reason("record has no value")).isEqualTo("no value");
    assertThat(ReplayJob.reason("not a Fjord log record (bad magic)")).isEqualTo("not a Fjord log record");
    assertThat(ReplayJob.reason("record too short: 3 bytes")).isEqualTo("not a Fjord log record");
    assertThat(ReplayJob.reason("unsupported log record version 9 (this reader knows version 1)"))
        .isEqualTo("unsupported version");
    assertThat(ReplayJob.reason("log record checksum mismatch")).isEqualTo("checksum mismatch");
    assertThat(ReplayJob.reason("log record labels: duplicate label name a")).isEqualTo("invalid labels");
    assertThat(ReplayJob.reason("log record truncated in a varint")).isEqualTo("malformed record");
  }
}
