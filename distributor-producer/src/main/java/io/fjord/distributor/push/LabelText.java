package io.fjord.distributor.push;

import io.fjord.schemas.labels.LabelsParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a stream's label text ({@code {app="api", env="prod"}}), as the protobuf and legacy JSON
 * pushes carry it, into pairs; text that cannot be read makes an unreadable stream that
 * validation rejects on its own. Stateless.
 */
final class LabelText {
  private LabelText() {}

  static PushedStream read(String text, List<PushedEntry> entries) {
    List<String[]> pairs;
    try {
      pairs = LabelsParser.parsePairs(text);
    } catch (LabelsParser.LabelsSyntaxException e) {
      return PushedStream.unreadable(text, e.getMessage(), entries);
    }
    List<LabelPair> labels = new ArrayList<>(pairs.size());
    for (String[] pair : pairs) {
      labels.add(new LabelPair(pair[0], pair[1]));
    }
    return PushedStream.parsed(text, labels, entries);
  }
}
