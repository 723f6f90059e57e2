package io.fjord.store;

/** There is no object under the key an operation required. */
public final class ObjectNotFoundException extends ObjectStoreException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ObjectNotFoundException(String key) {
    super("object not found: " + key, null);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
