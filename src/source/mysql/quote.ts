/** Quotes an identifier for MySQL/MariaDB with backticks; a backtick inside is doubled. */
export function quoteMysql(ident: string): string {
  return '`' + ident.replace(/`/g, '``') + '`';
}
