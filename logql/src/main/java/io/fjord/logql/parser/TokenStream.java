package io.fjord.logql.parser;

import io.fjord.logql.LogQLException;
import io.fjord.logql.ast.Position;
import io.fjord.logql.lexer.Lexer;
import io.fjord.logql.lexer.Token;
import io.fjord.logql.lexer.TokenType;
import java.util.ArrayList;
import java.util.List;

/**
 * A lookahead buffer over the {@link Lexer} plus the helpers that raise Loki-style syntax errors
 * ({@code syntax error: unexpected X[, expecting A or B]}) at the offending token. Single-use,
 * not thread-safe.
 */
final class TokenStream {
  private final Lexer lexer;
  private final List<Token> buffer = new ArrayList<>();

  TokenStream(String query) {
    this.lexer = new Lexer(query);
  }

  Token peek() {
    return peek(0);
  }

  Token peek(int k) {
    while (buffer.size() <= k) {
      buffer.add(lexer.next());
    }
    return buffer.get(k);
  }

  Token next() {
    Token t = peek();
    buffer.remove(0);
    return t;
  }

  boolean at(TokenType t) {
    return peek().is(t);
  }

  boolean atWord(String word) {
    return peek().isWord(word);
  }

  /** Consumes a token of type {@code t} or fails with {@code expecting <t>}. */
  Token expect(TokenType t) {
    if (!at(t)) {
      throw unexpected(t.lokiName());
    }
    return next();
  }

  /** Consumes the keyword or function {@code word} or fails. */
  Token expectWord(String word, String lokiName) {
    if (!atWord(word)) {
      throw unexpected(lokiName);
    }
    return next();
  }

  /** A syntax error at the next token, listing what was expected (none, or up to four names). */
  LogQLException unexpected(String... expected) {
    Token t = peek();
    StringBuilder sb = new StringBuilder("syntax error: unexpected ").append(t.lokiName());
    if (expected.length > 0) {
      sb.append(", expecting ").append(String.join(" or ", expected));
    }
    return new LogQLException(sb.toString(), t.line(), t.column());
  }

  static Position position(Token t) {
    return new Position(t.line(), t.column());
  }
}
