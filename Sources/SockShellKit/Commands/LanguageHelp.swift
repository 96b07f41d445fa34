/// `help` for the language's keywords and constructs, which are not commands: `help foreach`,
/// `help isset`. Each entry is the form, what it does, and an example; docs/language.md has the
/// whole language.
enum LanguageHelp {
  struct Entry {
    let form: String
    let text: String
    let example: String
  }

  static func entry(_ word: String) -> Entry? {
    let key = word.lowercased()
    return entries[aliases[key] ?? key]
  }

  static func detail(_ word: String) -> String? {
    guard let entry = entry(word) else { return nil }
    return """
      \(entry.form)

      \(entry.text)

      Example: \(entry.example)
      The language is PHP's (docs/language.md); `help` lists the commands and functions.

      """
  }

  private static let aliases = [
    "else": "if", "elseif": "if", "endif": "if", "endwhile": "while", "endfor": "for", "endforeach": "foreach",
    "case": "switch", "default": "switch", "endswitch": "switch", "continue": "break",
    "<<<": "heredoc", "nowdoc": "heredoc", "[]": "array",
  ]

  private static let entries: [String: Entry] = [
    "if": Entry(
      form: "if (CONDITION) { … } elseif (CONDITION) { … } else { … }",
      text: """
        Runs the first block whose condition is true (PHP's truthiness: false, null, 0, 0.0, "",
        "0" and [] are false). At the prompt write `} else {` on one line: the if runs once its
        block closes.
        """,
      example: #"if ($n === false) { echo "failed\n"; } else { echo "read $n bytes\n"; }"#),
    "while": Entry(
      form: "while (CONDITION) { … }    do { … } while (CONDITION);",
      text: """
        Repeats the block while the condition is true; `do … while` runs it once before the first
        test. Ctrl-C stops a loop at the prompt, and set_time_limit(N) one in a script.
        """,
      example: #"while ($out = socket_read($s, 2048)) { $reply .= $out; }"#),
    "do": Entry(
      form: "do { … } while (CONDITION);",
      text: "Runs the block, then repeats it while the condition is true.",
      example: #"do { $conn = socket_accept($listener); … } while (true);"#),
    "for": Entry(
      form: "for (INIT; CONDITION; STEP) { … }",
      text: """
        Runs INIT once, then the block while CONDITION is true, STEP after each pass. Each part may
        hold several expressions separated by commas; no condition loops for ever.
        """,
      example: "for ($i = 0; $i < 3; $i++) { $s = create inet stream; close $s; }"),
    "foreach": Entry(
      form: "foreach (ARRAY as $value) { … }    foreach (ARRAY as $key => $value)    foreach (ARRAY as &$value)",
      text: """
        Walks a copy of the array in its order; with &$value each change of $value is written back
        to the array.
        """,
      example: #"foreach ($clients as $key => $client) { socket_write($client, "bye\n"); }"#),
    "switch": Entry(
      form: "switch (VALUE) { case A: … break; case B: … break; default: … }",
      text: """
        Runs from the first case equal to VALUE (==), or from default, to the end or a break:
        without a break the next case runs too. `continue` in a switch acts as break.
        """,
      example: #"switch ($line) { case "quit": break 2; default: echo "?\n"; }"#),
    "break": Entry(
      form: "break;  break N;  continue;  continue N;",
      text: """
        break leaves the innermost loop or switch (break 2 the two innermost); continue goes on
        with the next pass of the loop (continue 2 of the loop around it).
        """,
      example: #"if ($line == 'shutdown') { break 2; }"#),
    "function": Entry(
      form: "function NAME($a, &$b, $c = 1) { … return VALUE; }",
      text: """
        Declares a function: its variables are its own (`global $x;` reaches the program's), &$b
        changes the caller's variable, $c has a default. At the prompt a function stays declared
        for the session.
        """,
      example: "function serve($listener, &$clients) { … }"),
    "return": Entry(
      form: "return;  return VALUE;",
      text: "Leaves the function with VALUE (null without one); at the top of a program, ends it.",
      example: "return $n * factorial($n - 1);"),
    "global": Entry(
      form: "global $a, $b;",
      text: "Inside a function, the names stand for the program's variables of those names.",
      example: "function count_one() { global $served; $served++; }"),
    "echo": Entry(
      form: "echo A, B, …;",
      text: "Writes each value as a string (a float to 14 digits, true as 1, false and null as nothing).",
      example: #"echo "got ", strlen($data), " bytes\n";"#),
    "print": Entry(
      form: "print VALUE",
      text: "Writes the value, as echo does; unlike echo it is an expression, worth 1.",
      example: #"$ok = print "hello\n";"#),
    "isset": Entry(
      form: "isset($a, $b['k'], …)",
      text: "True when every one is set and not null; reading nothing, it gives no warning.",
      example: "if (isset($argv[1])) { $port = (int) $argv[1]; }"),
    "unset": Entry(
      form: "unset($a, $b['k'], …);",
      text: """
        Removes the variables or elements. An array keeps its other keys as they are: the next
        `$a[] =` still takes the key after the largest ever used.
        """,
      example: "unset($clients[array_search($s, $clients, true)]);"),
    "empty": Entry(
      form: "empty(VALUE)",
      text: "True when the value is not set, or is false as a condition (0, \"\", \"0\", [], null).",
      example: #"if (empty($line)) { continue; }"#),
    "array": Entry(
      form: "[A, B]    [KEY => VALUE, …]    array(…)    $a[] = VALUE    $a[KEY]",
      text: """
        PHP's ordered maps: integer and string keys in the order they were added. `help
        array_search`, `help count`, … for the functions; isset, unset and empty for the rest.
        """,
      example: "$clients = []; $clients[] = socket_accept($listener);"),
    "heredoc": Entry(
      form: "<<<EOT … EOT    <<<'EOT' … EOT",
      text: """
        A string over several lines: a heredoc interpolates as "…" does, a nowdoc ('EOT') is taken
        as it is. The closing label may be indented; its indentation comes off every line.
        """,
      example: "$request = <<<EOT … EOT;"),
  ]

  /// The words `help` knows besides the commands, for its overview and for completion.
  static var words: [String] { (Array(entries.keys) + Array(aliases.keys)).sorted() }
}
