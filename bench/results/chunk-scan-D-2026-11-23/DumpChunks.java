package io.fjord.bench;

import java.nio.file.*;
import java.util.List;

public class DumpChunks {
  public static void main(String[] a) throws Exception {
    for (String ds : Datasets.ALL) {
      List<byte[]> chunks = ZstdLevelReport.encodeAll(Datasets.load(ds), 2, Integer.parseInt(a[0]));
      Path dir = Paths.get("/tmp/D/chunks-" + a[0] + "/" + ds);
      Files.createDirectories(dir);
      for (int i = 0; i < chunks.size(); i++) Files.write(dir.resolve(String.format("%03d.chunk", i)), chunks.get(i));
    }
  }
}
