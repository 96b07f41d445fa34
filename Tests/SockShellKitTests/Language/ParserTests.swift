import Testing
@testable import SockShellKit

@Suite struct ParserTests {
  func parse(_ line: String) throws -> [Statement] {
    try Parser.parse(line, commands: CommandTable.standard)
  }

  func firstCall(_ line: String) throws -> Expr {
    let statements = try parse(line)
    switch statements.first?.kind {
    case .expression(let expr), .assign(_, let expr, _): return expr
    default: Issue.record("no call in \(line)"); return .literal(.null)
    }
  }

  func arguments(_ expr: Expr) -> [Expr] {
    if case .call(_, let arguments, _) = expr { return arguments }
    return []
  }

  /// The command a call names, as the table finds it (either of its names, any case).
  func spec(_ expr: Expr) -> CommandSpec? {
    if case .call(let name, _, _) = expr { return CommandTable.standard.lookup(name) }
    return nil
  }

  @Test func commandFormKeepsABareAddressAsAWordWhereCallFormHasAStringLiteral() throws {
    let command = try firstCall("bind $s 127.0.0.1 5353")
    let call = try firstCall(#"socket_bind($s, "127.0.0.1", 5353)"#)
    // The same command, with the same handle variable and port in both forms...
    #expect(spec(command) != nil && spec(command) === spec(call))
    #expect(arguments(command) == [.variable("s", column: 6), .word("127.0.0.1"), .literal(.int(5353))])
    #expect(
      arguments(call) == [.variable("s", column: 13), .literal(.string("127.0.0.1")), .literal(.int(5353))])
    // ...but not the same syntax for the address: a bare word in command form (which the
    // interpreter takes as a string), a string literal in call form.
    #expect(arguments(command)[1] != arguments(call)[1])
  }

  @Test func constantsAreResolvedWhenParsed() throws {
    let create = try firstCall("create AF_INET SOCK_STREAM 0")
    #expect(
      arguments(create) == [
        .constant("AF_INET", .int(2)), .constant("SOCK_STREAM", .int(1)), .literal(.int(0)),
      ])
    #expect(arguments(try firstCall("strerror ECONNREFUSED")) == [.constant("ECONNREFUSED", .int(111))])
  }

  @Test func commandFormArgumentsMayConcatenate() throws {
    let write = try firstCall(#"write $spawn strrev($input) . "\n""#)
    #expect(arguments(write).count == 2)
    guard case .concat(let parts) = arguments(write)[1] else {
      Issue.record("second argument is not a concatenation")
      return
    }
    #expect(parts.count == 2)
  }

  @Test func tutorialLinesParse() throws {
    let lines = [
      #"$host = "127.0.0.1";$port=5353;set_time_limit(0);//设置程序的执行时间"#,
      #"$socket = socket_create(AF_INET,SOCK_STREAM,0) or die("could not create socket\n");"#,
      #"$spawn = socket_accept($socket) or die("Could not accept incoming connection\n");"#,
      #"socket_write($spawn,$output,strlen(($output))) or die("Could not write output\n");"#,
      #"socket_close($spawn);socket_close($socket);"#,
      #"$message = "xiongchao";echo "Message To server :".$message."\n";"#,
      #"$result = socket_read($socket,1024) or die("Could not read server response\n");echo "Reply from server:".$result;"#,
    ]
    let counts = try lines.map { try parse($0).count }
    #expect(counts == [3, 1, 1, 1, 2, 2, 2])
    let spawn = try parse(lines[2])[0]
    #expect(spawn.orDie == .some(.literal(.string("Could not accept incoming connection\n"))))
    if case .assign(let name, _, let onlyIfUnset) = spawn.kind {
      #expect(name == "spawn")
      #expect(!onlyIfUnset)
    } else {
      Issue.record("not an assignment")
    }
  }

  @Test func coalesceAssignEchoListsAndIndexing() throws {
    let statements = try parse(
      #"$port ??= 5353; echo "a", $b; [$x, $y] = $pair; list($p, $q) = $pair; $pair[0]"#)
    #expect(statements.count == 5)
    #expect(statements[0].kind == .assign(name: "port", .literal(.int(5353)), onlyIfUnset: true))
    #expect(statements[1].kind == .echo([.literal(.string("a")), .variable("b", column: 27)]))
    #expect(statements[2].kind == .destructure(names: ["x", "y"], .variable("pair", column: 42)))
    #expect(statements[3].kind == .destructure(names: ["p", "q"], .variable("pair", column: 64)))
    guard case .expression(.index) = statements[4].kind else {
      Issue.record("no index expression")
      return
    }
  }

  @Test func errorsCarryColumns() throws {
    #expect(throws: SyntaxError("unknown command 'frobnicate'; type `help` for the list", column: 1)) {
      try parse("frobnicate #1")
    }
    #expect(throws: SyntaxError("unknown constant AF_INTE (did you mean AF_INET, AF_INET6?)", column: 8)) {
      try parse("create AF_INTE SOCK_STREAM")
    }
    #expect(throws: SyntaxError.self) { try parse("bind(#1, 1") }
    #expect(throws: SyntaxError("'or' must be followed by die(\"message\")", column: 19)) {
      try parse("connect #1 x 1 or 5")
    }
    #expect(throws: SyntaxError.self) { try parse("$x = (1") }
    #expect(throws: SyntaxError("expected a value, found ')'", column: 6)) { try parse("$x = )") }
  }

  @Test func aLoneWordOnTheRightIsAString() throws {
    let statements = try parse("$mode = wr")
    #expect(statements[0].kind == .assign(name: "mode", .word("wr"), onlyIfUnset: false))
  }
}
