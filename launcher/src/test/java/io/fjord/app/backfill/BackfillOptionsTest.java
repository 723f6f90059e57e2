package io.fjord.app.backfill;

import io.fjord.app.tool.ToolUsageException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.distributor.push.LabelPair;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackfillOptionsTest {
  private static BackfillOptions parse(String... args) throws ToolUsageException {
    return BackfillOptions.parse(List.of(args));
  }

  @Test
  void everyFlagInBothSpellings() throws Exception {
    BackfillOptions o = parse("--topic", "app-logs", "--format=json", "--labels", "{env=\"prod\", app=\"shop\"}",
        "--label-from", "level", "--label-from=service=svc.name", "--timestamp-from", "ts",
        "--bootstrap-servers=k1:9092,k2:9093", "--tenant", "team-a", "--logs-topic=fjord-logs",
        "-config.file=/etc/fjord.yaml", "-limits_config.ingestion_rate_mb=40");
    assertThat(o.topic()).isEqualTo("app-logs");
    assertThat(o.spec().format()).isEqualTo(LineFormat.JSON);
    assertThat(o.spec().labels()).as("sorted by name")
        .containsExactly(new LabelPair("app", "shop"), new LabelPair("env", "prod"));
    assertThat(o.spec().labelFields()).containsExactly(Map.entry("level", "level"), Map.entry("service", "svc.name"));
    assertThat(o.spec().timestampField()).isEqualTo("ts");
    assertThat(o.bootstrapServers()).isEqualTo("k1:9092,k2:9093");
    assertThat(o.tenant()).isEqualTo("team-a");
    assertThat(o.logsTopic()).isEqualTo("fjord-logs");
    assertThat(o.group()).isEqualTo("fjord-backfill-app-logs");
    assertThat(o.configFile()).isEqualTo(Path.of("/etc/fjord.yaml"));
    assertThat(o.overrides()).containsExactly(Map.entry("limits_config.ingestion_rate_mb", "40"));
  }

  @Test
  void defaultsAreRawTheKafkaTimeAndTheConfigsKafka() throws Exception {
    BackfillOptions o = parse("--topic=t", "--labels={app=\"x\"}");
    assertThat(o.spec().format()).isEqualTo(LineFormat.RAW);
    assertThat(o.spec().timestampField()).isNull();
    assertThat(o.bootstrapServers()).isNull();
    assertThat(o.tenant()).isNull();
    assertThat(o.logsTopic()).isNull();
    assertThat(o.group()).isEqualTo("fjord-backfill-t");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--labels {app=\"x\"}                                        | --topic is required",
      "--topic t                                                   | --labels is required",
      "--topic t --labels {app=\"x\"} --format xml                 | --format",
      "--topic t --labels app=x                                    | --labels",
      "--topic t --labels {}                                       | --labels",
      "--topic t --labels {1app=\"x\"}                             | --labels",
      "--topic t --labels {app=\"x\",app=\"y\"}                    | --labels",
      "--topic t --labels {app=\"x\"} --label-from level           | --label-from",
      "--topic t --labels {app=\"x\"} --timestamp-from ts          | --timestamp-from",
      "--topic t --labels {app=\"x\"} --format json --label-from a.b  | --label-from",
      "--topic t --labels {app=\"x\"} --format json --label-from app  | --label-from",
      "--topic t --labels {app=\"x\"} --bootstrap-servers localhost | --bootstrap-servers",
      "--topic t --labels {app=\"x\"} --tenant a/b                 | --tenant",
      "--topic t --labels {app=\"x\"} --logs-topic t               | --topic",
      "--topic t --labels {app=\"x\"} --since 1h                   | --since",
      "--topic t --labels {app=\"x\"} stray                        | stray",
      "--topic t --labels                                          | --labels needs a value",
  })
  void badFlagsAreNamed(String args, String named) {
    assertThatThrownBy(() -> BackfillOptions.parse(Arrays.asList(args.trim().split(" +"))))
        .isInstanceOf(ToolUsageException.class)
        .hasMessageContaining(named);
  }

  @Test
  void aLabelNameThatIsNoLabelNameGetsASuggestion() {
    assertThatThrownBy(() -> parse("--topic=t", "--labels={a=\"1\"}", "--format=json", "--label-from=http.status"))
        .hasMessageContaining("--label-from http_status=http.status");
  }
}
