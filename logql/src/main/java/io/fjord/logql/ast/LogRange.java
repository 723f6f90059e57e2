package io.fjord.logql.ast;

import java.time.Duration;
import java.util.Optional;

/**
 * The log range inside a range aggregation: {@code {a="b"} | pipeline [| unwrap x] [5m] [offset 1m]}.
 * {@code offset} is {@link Duration#ZERO} when absent. Immutable.
 */
public record LogRange(LogSelectorExpr selector, Duration range, Optional<Unwrap> unwrap, Duration offset,
    Position position) {}
