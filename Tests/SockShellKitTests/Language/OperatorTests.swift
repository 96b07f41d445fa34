import Foundation
import Glibc
import Testing

@testable import SockShellKit

/// PHP's operators, held to php-cli: each expression is dumped by sockshell in-process and by
/// one php run for the whole table, and the bytes must match. Literal expectations below hold
/// without php-cli.
@Suite struct OperatorTests {
  static let arithmetic = [
    "1 + 2 * 3", "(1 + 2) * 3", "7 / 2", "6 / 2", "6.0 / 2", "\"6\" / \"2\"", "-7 % 3", "7 % -3", "7.5 % 2",
    "PHP_INT_MAX + 1", "PHP_INT_MIN - 1", "PHP_INT_MAX * 2", "-PHP_INT_MIN", "PHP_INT_MIN / -1",
    "PHP_INT_MIN % -1", "2 ** 62", "2 ** 63", "(-2) ** 63", "2 ** -1", "0 ** 0", "10 ** 400", "2 ** 3 ** 2",
    "-2 ** 2", "\"1.5\" + 1", "\" 1\" + 1", "\"1 \" + 1", "null + 1", "true + 1", "[1] + [2, 3]",
    "0x1F + 0o17 + 017 + 0b101 + 1_000", "9223372036854775808", "0x8000000000000000", "1e3", ".5", "1.5e-3",
    "-0.0", "+\"3\"", "-\"3\"", "10 - 2 - 3", "100 / 10 / 5", "2 * 3 % 4",
  ]
  static let bitwise = [
    "6 & 3", "6 | 3", "6 ^ 3", "~5", "~1.7", "1 << 3", "-8 >> 1", "1 << 64", "-8 >> 70", "\"a\" | \"b\"",
    "\"ab\" & \"a\"", "\"12\" | 1", "1.5 | 0", "1 | 2 ^ 3 & 4", "1 << 2 + 1",
  ]
  static let logic = [
    "true && false", "true || false", "!0", "!\"0\"", "!\"0.0\"", "![]", "true xor true", "null ?? 5",
    "0 ?: 5", "3 ?: 5", "1 ? 2 : 3", "0 ? 2 : 3", "null ?? null ?? 3", "0 ?: 0 ?: 7", "(1 ? 2 : 3) ? 4 : 5",
    "1 ? 2 : (0 ? 4 : 5)", "true ? \"a\" : \"b\"", "!1 + 1", "1 + 2 . \"x\"", "\"x\" . 1 + 2", "1 . 2 + 3",
    "1 < 2 == true", "1 & 3 == 3", "5 > 3 && 2 > 1", "1 || 0 && 0", "null ?? 1 ?: 2", "1 == 1 ? \"y\" : \"n\"",
  ]
  static let casts = [
    "(int)\"12abc\"", "(int)\"1e3\"", "(int)1.9", "(int)-1.9", "(integer)true", "(float)\"1.5x\"",
    "(double)3", "(string)1.0", "(string)0.1", "(string)false", "(bool)\"0\"", "(bool)\"0.0\"", "(boolean)[]",
    "(bool)0.0", "(array)1", "(array)null", "(array)[1, 2]", "(int)null", "(string)null",
  ]
  static let assignments = [
    "$x = 3", "($x = 3) + 1", "$x = $y = 4", "$a = [1]; $a[] = 2; $a[0] += 5; $a",
    "$i = 5; $i++", "$i = 5; ++$i", "$i = 5; $i--; $i", "$i = PHP_INT_MAX; ++$i", "$s = \"z\"; ++$s",
    "$s = \"Az\"; ++$s", "$s = \"a9\"; ++$s", "$s = \"\"; --$s", "$n = null; --$n", "$n = null; ++$n",
    "$s = \"5\"; ++$s", "$d = 1.5; --$d", "$x = 2; $x **= 10", "$x = 7; $x %= 3", "$x = 1; $x <<= 4",
    "$x = 12; $x >>= 2", "$x = 6; $x &= 3", "$x = 6; $x |= 1", "$x = 6; $x ^= 2", "$x = \"a\"; $x .= \"b\"",
    "$x = 9; $x /= 2", "$x = 9; $x -= 10", "$x = 3; $x *= 3", "$u ??= 4", "$x = 1; $x ??= 4",
    "$ok = true and false; $ok", "$a = [[1]]; $a[0][] = 2; $a", "$a = [1, 2]; $a[1]++; $a",
  ]
  /// PHP's type comparison tables: every value against every value with ==, === and <=>.
  static let comparisonValues = [
    "null", "true", "false", "0", "1", "-1", "\"0\"", "\"\"", "\"1\"", "\"-1\"", "\"php\"", "\"1e1\"", "1.0", "[]",
  ]
  static let comparisons: [String] = {
    var cases: [String] = []
    for a in comparisonValues {
      for b in comparisonValues {
        cases.append("[\(a) == \(b), \(a) === \(b), \(a) <=> \(b), \(a) < \(b)]")
      }
    }
    return cases + [
      "\"abc\" == 0", "\"1e1\" == \"10\"", "null <=> false", "[1, 2] == [1, 2]", "[1, 2] < [1, 3]",
      "[1, 2] < [1]", "\"abc\" < \"b\"", "1 <=> 2.5", "INF <=> INF", "NAN == NAN", "null == []", "\"1\" == \"01\"",
      "100 == \"1e2\"", "\"abc\" == \"ABC\"", "null < -1", "true <=> false", "1 <> 2", "1 != 1.0", "1 !== 1.0",
      "\"10\" < \"9\"", "\"10\" < \"9a\"", "1.5 > 1", "\"abc\" <=> \"abd\"", "[1, 2] === [1, 2]", "[1] == [true]",
    ]
  }()

  static let allCases = arithmetic + bitwise + logic + casts + assignments + comparisons

  @Test func thereAreEnoughCases() {
    #expect(Self.allCases.count >= 300, "\(Self.allCases.count) cases")
  }

  /// The PHP line for a case: statements before the last `;`, then the dump of the last part.
  static func code(_ expression: String) -> String {
    guard let split = expression.range(of: "; ", options: .backwards) else { return "var_dump(\(expression));" }
    return expression[..<split.lowerBound] + "; var_dump(" + expression[split.upperBound...] + ");"
  }

  @Test(.enabled(if: Paths.which("php") != nil, "php-cli is not installed"), arguments: allCases)
  func printsWhatPHPPrints(_ expression: String) throws {
    let code = Self.code(expression)
    let (ours, messages) = PHPFunctionTests.sockshell(code)
    let theirs = try #require(Self.phpOutputs[code], "php-cli did not run the case")
    #expect(
      ours == theirs,
      "\(code)\nsockshell printed \(PHPFunctionTests.show(ours))\nphp printed       \(PHPFunctionTests.show(theirs))"
    )
    for message in messages {
      #expect(message.hasPrefix("sockshell: warning: "), "\(message)")
    }
  }

  /// What php-cli prints for every case, from one run, each case's output as hex on a line.
  static let phpOutputs: [String: [UInt8]] = {
    guard let php = Paths.which("php") else { return [:] }
    let codes = allCases.map(code)
    var program = "<?php\n"
    for code in codes {
      program += "ob_start(); (function () { \(code) })(); echo bin2hex(ob_get_clean()), \"\\n\";\n"
    }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("sockshell-ops-\(getpid()).php").path
    guard FileManager.default.createFile(atPath: file, contents: Data(program.utf8)) else { return [:] }
    defer { try? FileManager.default.removeItem(atPath: file) }
    guard let result = try? runProcess(php, PHPFunctionTests.phpSettings + [file], timeout: 60) else { return [:] }
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    var outputs: [String: [UInt8]] = [:]
    for (index, code) in codes.enumerated() where index < lines.count {
      let hex = Array(lines[index].utf8)
      guard hex.count % 2 == 0 else { continue }
      outputs[code] = stride(from: 0, to: hex.count, by: 2).compactMap {
        UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)
      }
    }
    return outputs
  }()

  // MARK: - Literal expectations, which hold without php-cli

  static let literal: [(expression: String, dump: String)] = [
    ("1 + 2 * 3", "int(7)\n"),
    ("2 ** 3 ** 2", "int(512)\n"),
    ("-2 ** 2", "int(-4)\n"),
    ("PHP_INT_MAX + 1", "float(9.223372036854776E+18)\n"),
    ("PHP_INT_MIN % -1", "int(0)\n"),
    ("1 << 64", "int(0)\n"),
    ("7 / 2", "float(3.5)\n"),
    ("\"abc\" == 0", "bool(false)\n"),
    ("null == false", "bool(true)\n"),
    ("\"1e1\" == \"10\"", "bool(true)\n"),
    ("1 . 2 + 3", "string(2) \"15\"\n"),
    ("null ?? 1 ?: 2", "int(1)\n"),
    ("0x1F + 0o17 + 017 + 0b101 + 1_000", "int(1066)\n"),
    ("(array)1", "array(1) {\n  [0]=>\n  int(1)\n}\n"),
  ]

  @Test(arguments: 0..<literal.count)
  func printsTheLiteralExpectation(_ index: Int) {
    let (expression, dump) = Self.literal[index]
    let (ours, messages) = PHPFunctionTests.sockshell("var_dump(\(expression));")
    #expect(String(decoding: ours, as: UTF8.self) == dump, "\(expression)")
    #expect(messages == [])
  }

  @Test func phpsErrorsAreSockshellMessagesInPHPsWords() {
    let cases = [
      ("1 / 0", "DivisionByZeroError: Division by zero"),
      ("1 % 0", "DivisionByZeroError: Modulo by zero"),
      ("1 << -1", "ArithmeticError: Bit shift by negative number"),
      ("\"abc\" + 1", "TypeError: Unsupported operand types: string + int"),
      ("[] + 1", "TypeError: Unsupported operand types: array + int"),
      ("~null", "TypeError: Cannot perform bitwise not on null"),
      ("1 ? 2 : 3 ? 4 : 5", "nested ternaries need parentheses"),
      ("1 < 2 < 3", "does not chain"),
    ]
    for (expression, message) in cases {
      let (_, messages) = PHPFunctionTests.sockshell("var_dump(\(expression));")
      #expect(messages.count == 1 && messages[0].contains(message), "\(expression): \(messages)")
    }
    let (_, warned) = PHPFunctionTests.sockshell("var_dump(\"12abc\" + 1);")
    #expect(warned == ["sockshell: warning: A non-numeric value encountered"])
  }

  @Test func hugeExponentsAndLongChainsNeverTrap() {
    for expression in ["PHP_INT_MAX ** PHP_INT_MAX", "(-3) ** 1000", "2 ** 1e308", "PHP_INT_MIN * -1"] {
      let (ours, _) = PHPFunctionTests.sockshell("var_dump(\(expression));")
      #expect(String(decoding: ours, as: UTF8.self).hasPrefix("float("), "\(expression)")
    }
    let chain = Array(repeating: "1", count: 5000).joined(separator: " + ")
    let (_, messages) = PHPFunctionTests.sockshell("var_dump(\(chain));")
    #expect(messages.first?.contains("nested more than") == true)
    let prefixes = String(repeating: "-", count: 5000) + "1"
    let (_, prefixMessages) = PHPFunctionTests.sockshell("var_dump(\(prefixes));")
    #expect(prefixMessages.first?.contains("nested more than") == true)
  }

  @Test func commandFormSplitsArgumentsAtASignAsAShellDoes() throws {
    let commands = CommandTable.standard
    let select = try Parser.parse("select [$a] null null -1", commands: commands)
    guard case .expression(.call(_, let arguments, _)) = select.first?.kind else {
      Issue.record("not a call")
      return
    }
    #expect(arguments.count == 4)
    #expect(arguments.last == .literal(.int(-1)))
    let subtraction = try Parser.parse("read $s $n - 1", commands: commands)
    guard case .expression(.call(_, let readArguments, _)) = subtraction.first?.kind else {
      Issue.record("not a call")
      return
    }
    #expect(readArguments.count == 2)
    // In call form `$a -1` is a subtraction, as in PHP.
    let call = try Parser.parse("f($a -1)", commands: commands)
    guard case .expression(.call(_, let callArguments, _)) = call.first?.kind else {
      Issue.record("not a call")
      return
    }
    #expect(callArguments.count == 1)
  }

  @Test func orDieAfterAnAssignmentAssignsFirst() {
    let (interpreter, output) = makeInterpreter(interactive: true)
    defer { interpreter.closeAll() }
    interpreter.run(line: "$x = 0 or die(\"no\"); var_dump($x);")
    #expect(interpreter.variables["x"] == .int(0))
    #expect(output.events.contains { if case .text(let t) = $0 { return t == Array("no".utf8) } else { return false } })
  }
}
