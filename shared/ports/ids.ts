/** Randomness and digests, kept out of the domain and the use cases so that tests can see what they produce. */
export interface IdSource {
  /** A new random id: 32 lowercase hex characters. */
  randomId(): string;
  /** A new opaque secret: 256 random bits as 43 base64url characters. */
  randomToken(): string;
  /** Hex SHA-256 of the text: how tokens are stored, and how ids are derived from business keys. */
  digest(text: string): string;
}
