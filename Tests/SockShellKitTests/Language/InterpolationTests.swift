import Testing

@testable import SockShellKit

/// PHP's double-quoted strings: interpolation and escapes. Each case is a line that sockshell runs
/// in-process and `php -r` runs as a program; the two must print the same bytes. Literal
/// expectations below keep the suite meaningful where php-cli is missing.
@Suite struct InterpolationTests {
  static let setup =
    #"$x = 5; $f = 1.5; $g = 0.1 + 0.2; $t = true; $u = false; $n = null; $a = [1, [2, 3]]; $i = 1; "#
    + #"$s = "str"; $buf = "hi"; $address = "127.0.0.1"; $service_port = 80; "#

  static let cases: [(code: String, expected: [UInt8])] = [
    (#"echo "x=$x";"#, bytes("x=5")),
    (#"echo "$f $g";"#, bytes("1.5 0.3")),
    (#"echo "[$t][$u][$n]";"#, bytes("[1][][]")),
    (#"echo "$a[0]|$a[$i][0]";"#, bytes("1|Array[0]")),
    (#"echo "{$a[1][1]}";"#, bytes("3")),
    (#"echo "{$x}{$s}s";"#, bytes("5strs")),
    (#"echo "${x}";"#, bytes("5")),
    (#"echo "$s[1]";"#, bytes("t")),
    (#"echo "$xy.";"#, []),
    (#"echo "PHP: You said '$buf'.\n";"#, bytes("PHP: You said 'hi'.\n")),
    (#"echo "Sending HTTP HEAD request...\n";"#, bytes("Sending HTTP HEAD request...\n")),
    (
      #"echo "Attempting to connect to '$address' on port '$service_port'...";"#,
      bytes("Attempting to connect to '127.0.0.1' on port '80'...")
    ),
    (#"echo "\$x $ 5 $5 { x} {x} $";"#, bytes("$x $ 5 $5 { x} {x} $")),
    (#"echo "{$a[1][0]}{$a[0]}";"#, bytes("21")),
    (#"echo "a" . "$x" . 'b$x';"#, bytes("a5b$x")),
    (#"echo "\q\v\e\f";"#, [92, 113, 11, 27, 12]),
    (#"echo "\u{1F600}\u{e9}\u{41}";"#, [0xF0, 0x9F, 0x98, 0x80, 0xC3, 0xA9, 0x41]),
    (#"echo "\101\0\x41\x\u";"#, [0x41, 0, 0x41, 92, 120, 92, 117]),
    (#"echo "{$s[0]}-$s[2]";"#, bytes("s-r")),
  ]

  static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  @Test(arguments: cases.indices)
  func printsWhatIsExpected(_ index: Int) {
    let (code, expected) = Self.cases[index]
    let (ours, _) = PHPFunctionTests.sockshell(Self.setup + code)
    // "$xy" names a variable that is not set: sockshell reports it as it does elsewhere.
    if code.contains("$xy") { return }
    #expect(ours == expected, "\(code): \(PHPFunctionTests.show(ours))")
  }

  @Test(.enabled(if: Paths.which("php") != nil, "php-cli is not installed"), arguments: cases.indices)
  func printsWhatPHPPrints(_ index: Int) throws {
    let code = Self.cases[index].code
    if code.contains("$xy") { return }
    let (ours, _) = PHPFunctionTests.sockshell(Self.setup + code)
    let theirs = try PHPFunctionTests.php(Self.setup + code)
    #expect(ours == theirs, "\(code)\nsockshell printed \(PHPFunctionTests.show(ours))\nphp printed \(PHPFunctionTests.show(theirs))")
  }

  @Test func anArrayWarnsAsItBecomesArray() {
    let (ours, messages) = PHPFunctionTests.sockshell(#"$a = [1]; echo "<$a>";"#)
    #expect(ours == Self.bytes("<Array>"))
    #expect(messages.contains { $0.contains("Array to string conversion") })
  }

  @Test func anUnsetVariableIsPHPsWarningAndNull() {
    let (ours, messages) = PHPFunctionTests.sockshell(#"echo "a $nope b";"#)
    #expect(ours == Self.bytes("a  b"))
    #expect(messages.contains { $0.contains("warning: Undefined variable $nope") })
  }

  @Test func aStringWithoutDollarStaysALiteral() throws {
    let statements = try Parser.parse(#"echo "plain {x} $ \$x\n";"#, commands: CommandTable.standard)
    #expect("\(statements)".contains("literal"))
    #expect(!"\(statements)".contains("interpolated"))
  }

  @Test func commandFormInterpolates() {
    let (ours, _) = PHPFunctionTests.sockshell(#"$name = "bob"; echo "hello $name\n"; echo "Reply:" . $name;"#)
    #expect(ours == Self.bytes("hello bob\nReply:bob"))
  }

  @Test func badInterpolationsAreSyntaxErrors() {
    for line in [#"echo "{$x";"#, #"echo "${1}";"#, #"echo "$a[";"#, #"echo "{$x +}";"#, #"echo "\u{}";"#] {
      #expect(throws: SyntaxError.self, "\(line)") { try Parser.parse(line, commands: CommandTable.standard) }
    }
  }

  @Test func nestingCountsAgainstTheDepthBound() {
    // Brackets inside `{$…}` nest as they do anywhere else, one level more for the string.
    let deep = "echo \"{$a" + String(repeating: "[0", count: Parser.maximumDepth + 5)
      + String(repeating: "]", count: Parser.maximumDepth + 5) + "}\";"
    #expect(throws: SyntaxError.self) { try Parser.parse(deep, commands: CommandTable.standard) }
  }
}
