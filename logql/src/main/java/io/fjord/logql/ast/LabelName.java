package io.fjord.logql.ast;

import java.util.Optional;

/**
 * An operand of {@code drop}/{@code keep}: a bare label name, or a matcher that restricts the
 * stage to entries whose label matches ({@code drop level="debug"}). Immutable.
 */
public record LabelName(String name, Optional<LabelMatcher> matcher, Position position) {}
