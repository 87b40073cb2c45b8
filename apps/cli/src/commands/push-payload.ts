/** A payload argument: JSON when it parses as JSON, else the text itself. */
export const pushPayloadOf = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};
