export class ClientConfig {
  /** Whether POST /api/auth/dev-token issues tokens (the board page then shows its play panel). @example true */
  devTokens: boolean;
  /** Largest score one action may add. @example 1000 */
  scoreMaxIncrement: number;
}
