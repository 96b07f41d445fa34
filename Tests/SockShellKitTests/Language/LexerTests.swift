import Testing
@testable import SockShellKit

@Suite struct LexerTests {
  func kinds(_ line: String) throws -> [Token.Kind] {
    try Lexer.tokenize(line).map(\.kind)
  }

  @Test func commandFormWordsKeepAddressesAndPathsWhole() throws {
    #expect(
      try kinds("bind $socket 127.0.0.1 5353") == [
        .word("bind"), .variable("socket"), .word("127.0.0.1"), .int(5353), .end,
      ])
    #expect(try kinds("connect #2 ::1 80") == [.word("connect"), .handle(2), .word("::1"), .int(80), .end])
    #expect(try kinds("bind #1 /tmp/s.sock") == [.word("bind"), .handle(1), .word("/tmp/s.sock"), .end])
    #expect(
      try kinds("x fe80::1 @abstract ./rel") == [
        .word("x"), .word("fe80::1"), .word("@abstract"), .word("./rel"), .end,
      ])
  }

  @Test func bracketedIPv6IsAnAddressButOtherBracketsAreLists() throws {
    #expect(
      try kinds("connect $c [::1] 80") == [.word("connect"), .variable("c"), .word("[::1]"), .int(80), .end])
    #expect(try kinds("[fe80::1%lo]") == [.word("[fe80::1%lo]"), .end])
    #expect(try kinds("bind $s [::1]:5353") == [.word("bind"), .variable("s"), .word("[::1]:5353"), .end])
    #expect(try kinds("[1]") == [.leftBracket, .int(1), .rightBracket, .end])
    #expect(
      try kinds("[$a, $b]") == [.leftBracket, .variable("a"), .comma, .variable("b"), .rightBracket, .end])
    #expect(try kinds("$x[0]") == [.variable("x"), .leftBracket, .int(0), .rightBracket, .end])
  }

  @Test func flagsCombineWithAPipeAndIovecsAreNumbered() throws {
    #expect(try kinds("MSG_PEEK|MSG_DONTWAIT") == [.word("MSG_PEEK"), .pipe, .word("MSG_DONTWAIT"), .end])
    #expect(try kinds("readv #1 %2") == [.word("readv"), .handle(1), .iovec(2), .end])
    #expect(try kinds("handles --all") == [.word("handles"), .word("--all"), .end])
  }

  @Test func dotIsConcatenationWithOrWithoutSpaces() throws {
    #expect(
      try kinds(#"strrev($input)."\n""#) == [
        .word("strrev"), .leftParen, .variable("input"), .rightParen, .dot, .string([10]), .end,
      ])
    #expect(try kinds("$a.$b") == [.variable("a"), .dot, .variable("b"), .end])
    #expect(try kinds("PHP_EOL.$b") == [.word("PHP_EOL"), .dot, .variable("b"), .end])
    #expect(try kinds(#""x" . $y"#) == [.string([120]), .dot, .variable("y"), .end])
  }

  @Test func numbers() throws {
    // The sign is an operator: the parser makes `-1` a negative literal.
    #expect(try kinds("5353 -1 0x1f 0.5") == [.int(5353), .op(.minus), .int(1), .int(31), .double(0.5), .end])
    #expect(
      try kinds(".5 0o17 017 0b101 1_000 1e3 9223372036854775808") == [
        .double(0.5), .int(15), .int(15), .int(5), .int(1000), .double(1000), .double(9.223372036854775808e18), .end,
      ])
    // An address stays a word; a number then an operator does not.
    #expect(try kinds("127.0.0.1 1-2") == [.word("127.0.0.1"), .int(1), .op(.minus), .int(2), .end])
  }

  @Test func doubleQuotedEscapesIncludingHexAndOctal() throws {
    #expect(
      try kinds(#""a\n\r\t\0\\\"\x41\xff\$\q""#) == [
        .string([97, 10, 13, 9, 0, 92, 34, 0x41, 0xff, 36, 92, 113]), .end,
      ])
    #expect(try kinds(#""\012""#) == [.string([10]), .end])
  }

  @Test func singleQuotedIsRaw() throws {
    #expect(try kinds(#"'a\n\'b\\'"#) == [.string(Array(#"a\n'b\"#.utf8)), .end])
  }

  @Test func commentsEndTheLine() throws {
    #expect(try kinds("listen #1 3 // queue of three") == [.word("listen"), .handle(1), .int(3), .end])
    #expect(try kinds("listen #1 3 # a comment") == [.word("listen"), .handle(1), .int(3), .end])
    #expect(try kinds("# whole line") == [.end])
  }

  @Test func operators() throws {
    #expect(
      try kinds("$p ??= 5353; $q = [1, 2]") == [
        .variable("p"), .coalesceAssign, .int(5353), .semicolon, .variable("q"), .assign, .leftBracket,
        .int(1),
        .comma, .int(2), .rightBracket, .end,
      ])
  }

  @Test func inAProgramAWordIsAPHPNameOrNumberNeverAShellWord() throws {
    func program(_ code: String) throws -> [Token.Kind] {
      try Lexer.tokenize(code, program: true).map(\.kind)
    }
    #expect(try program("default:") == [.word("default"), .op(.colon), .end])
    #expect(try program("case FOO:") == [.word("case"), .word("FOO"), .op(.colon), .end])
    #expect(try program("1?2:3") == [.int(1), .op(.question), .int(2), .op(.colon), .int(3), .end])
    #expect(try program("10/5") == [.int(10), .op(.slash), .int(5), .end])
    #expect(try program("PHP_EOL.PHP_EOL") == [.word("PHP_EOL"), .dot, .word("PHP_EOL"), .end])
    #expect(try program("M_PI-3") == [.word("M_PI"), .op(.minus), .int(3), .end])
    #expect(try program("$a -b") == [.variable("a"), .op(.minus), .word("b"), .end])
    #expect(try program("$a %2") == [.variable("a"), .op(.percent), .int(2), .end])
    #expect(
      try program("$a / $b ./x") == [
        .variable("a"), .op(.slash), .variable("b"), .dot, .op(.slash), .word("x"), .end,
      ])
    // `#` starts a comment in PHP, before a digit too.
    #expect(try program("1 #2 is a comment\n3") == [.int(1), .int(3), .end])
    // On a line the shell's words stay whole.
    #expect(
      try kinds("x 10/8 a.b -n %2 #3") == [
        .word("x"), .word("10/8"), .word("a.b"), .word("-n"), .iovec(2), .handle(3), .end,
      ])
  }

  @Test func unterminatedStringNamesItsColumnAndIsUnfinished() {
    #expect(throws: SyntaxError("unterminated string (a \" is missing)", column: 10, unfinished: true)) {
      try Lexer.tokenize(#"write #1 "abc"#)
    }
    #expect(throws: SyntaxError("unterminated string (a ' is missing)", column: 3, unfinished: true)) {
      try Lexer.tokenize("x 'abc")
    }
  }

  @Test func badCharactersAndEscapes() throws {
    #expect(throws: SyntaxError.self) { try Lexer.tokenize("write #1 {") }
    #expect(throws: SyntaxError("'$' must be followed by a variable name", column: 1)) {
      try Lexer.tokenize("$ = 1")
    }
    // PHP keeps "\x" without hex digits as written; a malformed "\u{" is its compile error.
    #expect(try Lexer.tokenize(#""\xZZ""#).first?.kind == .string(Array(#"\xZZ"#.utf8)))
    #expect(throws: SyntaxError.self) { try Lexer.tokenize(#""\u{zz}""#) }
  }
}
