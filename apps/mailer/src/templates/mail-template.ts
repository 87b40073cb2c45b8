/** One `emails/{name}[.{lang}].yaml`, as read (Eta sources). */
export interface MailTemplate {
  name: string;
  /** The language of the variant read, or null for the default file. */
  lang: string | null;
  subject: string;
  text: string | null;
  html: string | null;
  /** Eta source of the HTML layout (`layout:`), which places the body with `<%~ it.body %>`. */
  layout: string | null;
}
