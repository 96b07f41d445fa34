import Testing

@testable import SockShellKit

/// Heredoc and nowdoc as PHP 8 reads them: the flexible closing marker (indented, followed by
/// code), the indentation removed from each line, a heredoc's escapes and interpolation, a
/// nowdoc's raw text, and PHP's errors.
@Suite struct HeredocTests {
  func kinds(_ text: String) throws -> [Token.Kind] {
    try Lexer.tokenize(text).map(\.kind)
  }

  func bytes(_ text: String) -> Token.Kind { .string(Array(text.utf8)) }

  /// What a whole PHP program prints when run in-process.
  func output(of program: String) -> String {
    let run = InProcessProgram(program)
    #expect(run.messages == [])
    return run.text
  }

  func parseError(_ program: String) -> PHPProgram.ParseError? { InProcessProgram.parseError(program) }

  @Test func theTextRunsFromTheLineAfterTheLabelToTheLineBeforeTheClosingOne() throws {
    #expect(try kinds("<<<EOT\nHello\n  world\nEOT;") == [bytes("Hello\n  world"), .semicolon, .end])
    #expect(try kinds("<<<EOT\nEOT") == [bytes(""), .end])
    #expect(try kinds("<<<EOT\n\nEOT") == [bytes(""), .end])
    #expect(try kinds("<<<EOT\n\n\nEOT") == [bytes("\n"), .end])
    // Spaces may come between `<<<` and the label; a line that only starts with the label goes on.
    #expect(try kinds("<<< \"EOT\"\nEOTX\nEOT") == [bytes("EOTX"), .end])
    #expect(try kinds("<<<EOT\r\nline\r\nEOT") == [bytes("line"), .end])
  }

  @Test func theClosingMarkersIndentationIsRemovedFromEveryLine() throws {
    #expect(
      try kinds("<<<EOT\n    a\n      b\n\n    c\n    EOT;") == [bytes("a\n  b\n\nc"), .semicolon, .end])
    // A line of blanks only may be shorter than the indentation.
    #expect(try kinds("<<<EOT\n  a\n \n  b\n  EOT") == [bytes("a\n\nb"), .end])
    #expect(try kinds("<<<EOT\n\t\ta\n\tEOT") == [bytes("\ta"), .end])
    #expect(try kinds("<<<'N'\n  $raw\n  N") == [bytes("$raw"), .end])
  }

  @Test func codeMayFollowTheClosingMarkerOnItsLine() throws {
    #expect(
      try kinds("f(<<<A\n  x\n  A, <<<'B'\n  y\n  B);") == [
        .word("f"), .leftParen, bytes("x"), .comma, bytes("y"), .rightParen, .semicolon, .end,
      ])
    #expect(try kinds("<<<A\nx\nA . 'y'") == [bytes("x"), .dot, bytes("y"), .end])
  }

  @Test func aHeredocDecodesEscapesButKeepsABackslashedQuote() throws {
    #expect(
      try kinds(#"<<<EOT\#n\t\x41\101\$\\ \" "q" \q\#nEOT"#) == [
        .string([9, 0x41, 0x41, 36, 92, 32, 92, 34, 32, 34, 113, 34, 32, 92, 113]), .end,
      ])
    // The escapes are decoded after the indentation is removed: a `\t` is text, not indentation.
    #expect(try kinds("<<<EOT\n  \\tx\n  EOT") == [.string([9, 120]), .end])
    #expect(try kinds("<<<EOT\n  a\\\n  b\n  EOT") == [bytes("a\\\nb"), .end])
  }

  @Test func aNowdocIsRaw() throws {
    #expect(try kinds(#"<<<'EOT'\#n$name \n \\ {$x}\#nEOT"#) == [bytes(#"$name \n \\ {$x}"#), .end])
  }

  @Test func aHeredocInterpolatesLikeADoubleQuotedString() {
    #expect(
      output(
        of: """
          <?php
          $name = "World";
          $list = [1, [2, 3]];
          echo <<<EOT
            Hello $name! $list[0] {$list[1][1]} ${name}
              \\$name "quoted" \\x41
            EOT;
          echo "|", <<<"EOT"
          $name
          EOT, "|\\n";
          """) == "Hello World! 1 3 World\n  $name \"quoted\" A|World|\n")
  }

  @Test func theIndentationComesOffEachLineOfAnInterpolatingHeredoc() {
    #expect(
      output(
        of: "<?php\n$x = 'v';\nfunction f() {\n  return <<<EOT\n    a $x\n      {$x}\n    \\tb\n    EOT;\n}\n"
          + "$x = 7;\necho strtoupper(<<<EOT\n    x=$x\n      y\n    EOT), \"\\n\";\n")
        == "X=7\n  Y\n")
  }

  @Test func aBodyIndentedLessThanTheClosingMarkerIsPHPsParseError() {
    let error = parseError("<?php\n$x = <<<EOT\n    a\n  b\n    EOT;\n")
    #expect(error?.message == "Invalid body indentation level (expecting an indentation level of at least 4)")
    #expect(error?.line == 4)
    let interpolating = parseError("<?php\n$x = <<<EOT\n    $a\n  b\n    EOT;\n")
    #expect(
      interpolating?.message
        == "Invalid body indentation level (expecting an indentation level of at least 4)")
  }

  @Test func tabsAndSpacesMixedInTheIndentationArePHPsParseError() {
    let message = "Invalid indentation - tabs and spaces cannot be mixed"
    #expect(parseError("<?php\necho <<<EOT\n  a\n \tEOT;\n")?.message == message)
    #expect(parseError("<?php\necho <<<EOT\n\ta\n  EOT;\n")?.message == message)
    #expect(parseError("<?php\necho <<<EOT\n\ta\n  EOT;\n")?.line == 3)
  }

  @Test func aHeredocNeverClosedNamesWhereItBeganAndIsUnfinished() {
    let error = parseError("<?php\n$a = 1;\necho <<<EOT\nabc\nEO\n")
    #expect(error?.message == "heredoc <<<EOT is never closed: no line ends it with EOT")
    #expect(error?.line == 3)
    #expect(error?.column == 6)
    #expect(
      throws: SyntaxError(
        "nowdoc <<<'N' is never closed: no line ends it with N", column: 6, unfinished: true)
    ) {
      try Lexer.tokenize("echo <<<'N'\nabc")
    }
    // The opening line typed alone at the prompt: more lines would finish it.
    #expect(
      throws: SyntaxError(
        "heredoc <<<EOT is never closed: no line ends it with EOT", column: 6, unfinished: true)
    ) {
      try Lexer.tokenize("echo <<<EOT")
    }
    #expect(Lexer.tokenizeUnfinished(Array("echo <<<EOT\nabc".utf8)).openString == 5)
  }

  @Test func aClosingTagInsideAHeredocIsTextAndOneAloneOnItsLineEndsTheStatement() {
    var text = PHPFileText()
    func parts(_ line: String) -> [PHPFileText.Part] { text.parts(of: Array(line.utf8)[...]) }
    #expect(parts("<?php") == [])
    #expect(parts("$x = <<<'XML'") == [.code(Array("$x = <<<'XML'".utf8)[...])])
    #expect(
      parts("  <?xml version=\"1.0\"?> it's") == [.code(Array("  <?xml version=\"1.0\"?> it's".utf8)[...])])
    #expect(
      parts("  XML . 'a'; ?> after") == [
        .code(Array("  XML . 'a'; ".utf8)[...]), .text(Array(" after\n".utf8)),
      ])
    #expect(
      output(
        of: "<?php\necho <<<XML\n  <?xml version=\"1.0\"?>\n  <a>it's ?> here</a>\n  XML, \"\\n\"\n?>\ntext"
      )
        == "<?xml version=\"1.0\"?>\n<a>it's ?> here</a>\ntext\n")
  }

  @Test func badOpeningsAreClearErrors() throws {
    #expect(
      parseError("<?php\necho <<<EOT x\nabc\nEOT;\n")?.message
        == "<<<EOT must end its line: the text starts on the next line")
    #expect(
      parseError("<?php\necho <<<\"EOT\nabc\nEOT;\n")?.message
        == "the label of <<<\"EOT\" must be closed with \"")
    #expect(parseError("<?php\necho <<<'\nabc\n") != nil)
    // `<<<` with no label is `<<` and `<`, as PHP reads it.
    #expect(try kinds("1 <<< 2") == [.int(1), .op(.shiftLeft), .op(.less), .int(2), .end])
  }

  @Test func otherUnfinishedInputIsMarkedSoThePromptCanAskForMore() throws {
    for unfinished in ["f(1,", "$x = [1, 2", "echo \"abc", "echo 'abc"] {
      #expect(throws: SyntaxError.self) { try Parser.parse(unfinished, commands: CommandTable.standard) }
      do {
        _ = try Parser.parse(unfinished, commands: CommandTable.standard)
      } catch {
        #expect(error.unfinished, "\(unfinished): \(error)")
      }
    }
    // A statement that stops after an operator is an error, not a question for more lines.
    for finished in ["f(1))", "$x = FOO_BAR", "$ = 1", "echo 1 2", "$x = "] {
      do {
        _ = try Parser.parse(finished, commands: CommandTable.standard)
        Issue.record("\(finished) parsed")
      } catch {
        #expect(!error.unfinished, "\(finished): \(error)")
      }
    }
  }
}
