/// A script's syntax tree as a C11 program. C has types where PHP has none, so each variable
/// takes the kind of the first value it is given and keeps it: a number (`long`), or a string
/// (`bytes`: a length and up to 64 KiB, -1 long when a read failed, as PHP's false). A number
/// remembers what gave it, for what false means: -1 for a socket, a count or a call's status, 0
/// otherwise. Arrays, floats and null have no C spelling here: such a script is refused with the
/// line, and exported as its calls instead. The calls and helpers are in CSourceWriter+Calls.swift.
struct CSourceWriter {
  enum Kind: Equatable {
    /// A PHP integer: false is 0.
    case number
    /// A PHP bool (a comparison, `!`, `&&`): 1 or 0; echo writes "1" or nothing.
    case boolean
    /// A descriptor from socket(2) or accept(2): false is -1.
    case socket
    /// A byte count from write(2) and its kin: false is -1, and 0 is false too.
    case count
    /// 0 or -1 from bind(2), listen(2) and their kin: true is 0.
    case status
    case bytes
  }

  struct CValue {
    var code: String
    var kind: Kind
    /// The bytes of a literal, for write(2) and echo to use as they are.
    var literal: [UInt8]? = nil
  }

  /// The variables of one function (or main), each with its kind, in the order first given one.
  struct Scope {
    var kinds: [String: Kind] = [:]
    var order: [String] = []
    var returns: Kind?? = nil
    /// The function being written (lower-cased), nil for main.
    var function: String?
    /// The variables an expression reads; the others are marked used for the compiler, which
    /// would warn of a value PHP is content to set and leave.
    var read: Set<String> = []
  }

  struct Function {
    var name: String
    var parameters: [Kind]
    var returns: Kind?
  }

  let tree: ScriptTree
  var out = SourceLines(unit: "    ")
  var scope = Scope()
  /// The functions written so far (by lower-cased name), and their text.
  var functions: [String: Function] = [:]
  var functionText: [String] = []
  /// The loops around the statement being written, by number, and the labels gotos use.
  var loops: [Int] = []
  /// The loops (by number) that are switch statements: PHP counts a switch as a loop for break
  /// and continue, and a `continue` that reaches one acts as `break`.
  var switches: Set<Int> = []
  var loopCount = 0
  var finishedLoop = 0
  var labels: Set<String> = []
  var prototypes: [String] = []

  static let reserved: Set<String> = CProgramWriter.naming.reserved.union([
    // libc's and libm's names a script's function or variable may take.
    "log", "log2", "log10", "exp", "pow", "sqrt", "abs", "labs", "floor", "ceil", "round", "rand", "srand", "random",
    "index", "rindex", "puts", "putchar", "getchar", "open", "abort", "raise", "kill", "fork", "alarm", "pause",
    "wait", "poll", "strcpy", "strcmp", "strncmp", "strcat", "strchr", "strstr", "malloc", "free", "calloc",
    "realloc", "atoi", "atol", "strtol", "div", "ldiv", "remove", "rename", "system", "getenv", "link", "pipe",
    "dup", "dup2", "fopen", "fclose", "fflush", "fputs", "fwrite", "fread", "fprintf", "sprintf", "snprintf",
    "isdigit", "isalpha", "toupper", "tolower", "y0", "y1", "j0", "j1", "gamma", "sin", "cos", "tan", "max", "min",
    "exit", "strerror", "strtok", "memmove", "memcmp", "memchr", "ntohl", "htonl", "ntohs", "sigaction", "optarg",
    "getline", "getdelim", "fputc", "fgetc", "fgets", "getc", "putc", "ungetc", "scanf", "sscanf", "fscanf", "perror",
    "getaddrinfo", "freeaddrinfo", "gai_strerror", "gethostbyname", "getservbyname", "inet_ntop", "inet_addr",
    "bzero", "bcopy", "optind", "opterr", "optopt", "getopt", "environ", "stat", "fstat", "lstat", "sync", "nice",
    "truncate", "access", "chdir", "rmdir", "mkdir", "umask", "getpid", "getppid", "getuid", "setuid", "brk", "sbrk",
    "select_", "fd_set", "timeval", "linger", "bytes", "strdup", "strndup", "strlcpy", "strrchr", "strspn", "strcspn",
    "qsort", "bsearch", "atexit", "exp2", "fabs", "fmod", "modf", "trunc", "atof", "strtod", "strtoul", "clock",
    "difftime", "mktime", "localtime", "gmtime", "ctime", "asctime", "strftime", "signal", "sleep", "errno",
    "bytes", "text", "cat", "number", "truthy", "same", "out", "checked", "last_errno", "receive", "receive_line",
    "put", "bind_to", "connect_to", "address", "set_blocking", "error_text", "name_of", "length", "reversed",
    "upper", "lower", "trimmed", "repeated", "to_number", "where", "result", "time", "sleep", "usleep",
  ])

  init(_ tree: ScriptTree) { self.tree = tree }

  /// A script's name as C may take it: one that libc or a header has (`log`, or any name in
  /// capitals, which may be a macro: `EOF`) gets a `_`.
  func name(_ variable: String) -> String {
    let capitals = variable.contains { $0.isUppercase } && !variable.contains { $0.isLowercase }
    return CSourceWriter.reserved.contains(variable) || capitals ? variable + "_" : variable
  }

  mutating func text() throws(SourceExport.Refusal) -> String {
    out.depth = 1
    for statement in tree.statements { try write(statement) }
    let body = out.lines
    var lines = ["/*"]
    lines += SourceExport.preamble(.c).map { "   " + $0 }
    lines[lines.count - 1] += " */"
    lines += ["#define _DEFAULT_SOURCE", ""]
    lines += [
      "arpa/inet.h", "errno.h", "fcntl.h", "netdb.h", "netinet/in.h", "signal.h", "stddef.h", "stdio.h", "stdlib.h",
      "string.h", "sys/socket.h", "sys/un.h", "time.h", "unistd.h",
    ].map { "#include <\($0)>" }
    // The helpers the program's text calls, and those they call: none is written unused
    // (cc -Wall would refuse a static function never called).
    var needed = Set(CSourceWriter.helperOrder.filter { CSourceWriter.calls($0, in: body + functionText) })
    var grown = true
    while grown {
      let more = needed.union(needed.flatMap { CSourceWriter.helperNeeds[$0] ?? [] })
      grown = more.count > needed.count
      needed = more
    }
    needed.insert("bytes")
    for helper in ["bytes"] + CSourceWriter.helperOrder where needed.contains(helper) {
      lines += [""] + CSourceWriter.helperText[helper]!
    }
    if !prototypes.isEmpty { lines += [""] + prototypes }
    lines += functionText
    let usesArguments = needed.contains("arguments")
    lines += ["", usesArguments ? "int main(int argc, char **argv)" : "int main(void)", "{"]
    lines += declarations(scope, depth: 1, isMain: true)
    if usesArguments { lines += ["    arg_count = argc;", "    arg_values = argv;"] }
    lines += ["    /* sockshell sees EPIPE when the peer has gone; so does this program. */",
      "    signal(SIGPIPE, SIG_IGN);"]
    lines += body
    lines += ["    return 0;", "}"]
    return lines.joined(separator: "\n") + "\n"
  }

  /// Whether the lines call the helper `name` (or, for the two that define one, use its variable):
  /// `name(` where no letter, digit or `_` comes before it.
  static func calls(_ name: String, in lines: [String]) -> Bool {
    let uses = name == "checked" ? ["checked(", "last_errno"] : name == "arguments" ? ["argument(", "arg_count"] : [name + "("]
    for line in lines {
      for use in uses {
        var rest = Substring(line)
        while let found = rest.firstRange(of: use) {
          let before = rest[..<found.lowerBound].last
          if before.map({ !($0.isLetter || $0.isNumber || $0 == "_") }) ?? true { return true }
          rest = rest[found.upperBound...]
        }
      }
    }
    return false
  }

  /// The variables of a scope, declared at its top: main's strings static (64 KiB each), a
  /// function's on its stack, so that a recursive call has its own.
  func declarations(_ scope: Scope, depth: Int, except parameters: Set<String> = [], isMain: Bool = false)
    -> [String]
  {
    let indent = String(repeating: "    ", count: depth)
    var lines = scope.order.filter { !parameters.contains($0) }.map { variable in
      scope.kinds[variable] == .bytes
        ? indent + (isMain ? "static bytes \(name(variable));" : "bytes \(name(variable)) = {0};")
        : indent + "long \(name(variable)) = 0;"
    }
    let unread = scope.order.filter { !scope.read.contains($0) }
    if !unread.isEmpty {
      lines.append(indent + "/* Given values the program never reads. */")
      lines.append(indent + unread.map { "(void)\(name($0));" }.joined(separator: " "))
    }
    return lines
  }

  // MARK: - Statements

  mutating func write(_ statement: ProgramStatement) throws(SourceExport.Refusal) {
    switch statement {
    case .simple(let simple, let line): try write(simple, line: line)
    case .block(let inner): for item in inner { try write(item) }
    case .conditional(let branches, let otherwise):
      for (position, (condition, body)) in branches.enumerated() {
        manPages(condition.expr)
        let test = try truth(condition.expr, line: condition.line)
        out.add(position == 0 ? "if (\(test)) {" : "} else if (\(test)) {")
        try block(body, loop: false)
      }
      if let otherwise {
        out.add("} else {")
        try block(otherwise, loop: false)
      }
      out.add("}")
    case .whileLoop(let condition, let body):
      manPages(condition.expr)
      out.add("while (\(try truth(condition.expr, line: condition.line))) {")
      try block(body, loop: true)
      out.add("}")
      leaveLabel()
    case .doWhile(let body, let condition):
      out.add("do {")
      try block(body, loop: true)
      out.add("} while (\(try truth(condition.expr, line: condition.line)));")
      leaveLabel()
    case .forLoop(let initial, let conditions, let steps, let line, let body):
      for part in initial + conditions + steps { manPages(part) }
      let first = try initial.map { (item) throws(SourceExport.Refusal) -> String in
        try expression(item, line: line).code
      }
      var tests: [String] = []
      for (position, item) in conditions.enumerated() {
        tests.append(position == conditions.count - 1 ? try truth(item, line: line) : try expression(item, line: line).code)
      }
      let last = try steps.map { (item) throws(SourceExport.Refusal) -> String in
        try expression(item, line: line).code
      }
      out.add("for (\(first.joined(separator: ", ")); \(tests.joined(separator: ", ")); \(last.joined(separator: ", "))) {")
      try block(body, loop: true)
      out.add("}")
      leaveLabel()
    case .foreach(let condition, _, _, _, _):
      throw SourceExport.Refusal("foreach walks an array, and arrays are not written in C here", line: condition.line)
    case .switchOn(let condition, let cases):
      // C's switch has PHP's fall-through and break; its labels must be integer constants.
      let subject = try expression(condition.expr, line: condition.line)
      guard subject.kind != .bytes else {
        throw SourceExport.Refusal("a switch on a string is not written in C: use if/elseif", line: condition.line)
      }
      out.add("switch (\(subject.code)) {")
      loopCount += 1
      let id = loopCount
      loops.append(id)
      switches.insert(id)
      for (position, item) in cases.enumerated() {
        if let label = item.label {
          switch label {
          case .literal(.int), .constant(_, .int), .unary(.negate, .literal(.int), _):
            out.add("case \(try expression(label, line: item.line).code):")
          default:
            throw SourceExport.Refusal("a case label C is given must be an integer constant", line: item.line)
          }
        } else {
          out.add("default:")
        }
        out.depth += 1
        for statement in item.body { try write(statement) }
        // PHP falls into the next case as C does; said, for the compiler and the reader.
        if position + 1 < cases.count, let last = item.body.last, !CSourceWriter.leavesCase(last) {
          out.add("/* falls through */")
        }
        out.depth -= 1
      }
      if cases.last?.body.isEmpty ?? false { out.lines[out.lines.count - 1] += ";" }
      loops.removeLast()
      out.add("}")
      finishedLoop = id
      leaveLabel()
    case .breakLoops(let count), .continueLoops(let count):
      let isBreak = if case .breakLoops = statement { true } else { false }
      guard count <= loops.count else {
        throw SourceExport.Refusal("\(isBreak ? "break" : "continue") \(count) has too few loops around it", line: 0)
      }
      let target = loops[loops.count - count]
      // A continue that reaches a switch acts as break, as in PHP.
      let leaves = isBreak || switches.contains(target)
      guard count > 1 else { return out.add(leaves ? "break;" : "continue;") }
      // Out of several loops: C's goto, to a label after the loop (break) or at the end of its
      // body (continue).
      let label = "\(leaves ? "leave" : "next")_loop_\(target)"
      labels.insert(label)
      out.add("goto \(label);")
    case .returnValue(let value, let line) where scope.function == nil:
      // At the top level, PHP's return ends the program (its value goes nowhere).
      if let value { try writeEffect(value, line: line) }
      out.add("return 0;")
    case .returnValue(let value, let line):
      guard let value else {
        try returning(nil, line: line)
        return out.add("return;")
      }
      manPages(value)
      let written = try expression(value, line: line)
      try returning(written.kind, line: line)
      out.add("return \(written.code);")
    case .global:
      throw SourceExport.Refusal("global variables are not written in C here: pass them as arguments", line: 0)
    case .text(let bytes): out.add("fwrite(\(CProgramWriter.string(bytes)), 1, \(bytes.count), stdout);")
    case .empty: break
    }
  }

  private mutating func returning(_ kind: Kind?, line: Int) throws(SourceExport.Refusal) {
    switch scope.returns {
    case .none:
      scope.returns = .some(kind)
      if let function = scope.function { functions[function]?.returns = kind }
    case .some(let known):
      // One kind, or kinds whose false is the same: a socket and `false` (0 in C) are not.
      let minusOneIsFalse: (Kind?) -> Bool = { [.socket, .count, .status].contains($0) }
      guard known == kind
        || (known != .bytes && kind != nil && kind != .bytes && known != nil
          && minusOneIsFalse(known) == minusOneIsFalse(kind))
      else {
        throw SourceExport.Refusal(
          "the function returns values of two kinds (a socket or a count, and false or a number), which C cannot tell apart",
          line: line)
      }
    }
  }

  private mutating func block(_ body: ProgramStatement, loop: Bool) throws(SourceExport.Refusal) {
    out.depth += 1
    if loop {
      loopCount += 1
      loops.append(loopCount)
    }
    try write(body)
    if loop, let id = loops.popLast() {
      // A `continue N` from further in comes to the end of this body; a `break N` leaves after
      // the loop, which its statement labels once it is written.
      if labels.contains("next_loop_\(id)") { out.add("next_loop_\(id):;") }
      finishedLoop = id
    }
    out.depth -= 1
  }

  /// A statement after which a case's body does not go on into the next.
  static func leavesCase(_ statement: ProgramStatement) -> Bool {
    switch statement {
    case .breakLoops, .continueLoops, .returnValue: return true
    case .simple(let simple, _):
      if case .expression(.exit) = simple.kind { return true }
      return false
    case .block(let inner): return inner.last.map(leavesCase) ?? false
    default: return false
    }
  }

  /// The label after the loop just written, when a `break N` goes there.
  private mutating func leaveLabel() {
    if labels.contains("leave_loop_\(finishedLoop)") { out.add("leave_loop_\(finishedLoop):;") }
  }

  private mutating func write(_ statement: Statement, line: Int) throws(SourceExport.Refusal) {
    let code: String
    switch statement.kind {
    case .expression(let expr):
      if statement.orDie == nil {
        try writeEffect(expr, line: line)
        return
      }
      manPages(expr)
      code = try truth(expr, line: line)
    case .assign(let target, let value, let onlyIfUnset):
      manPages(value)
      if onlyIfUnset, scope.kinds[target] != nil {
        throw SourceExport.Refusal("??= asks whether $\(target) is set, and a C variable always is", line: line)
      }
      let written = try assignment(target, value, line: line)
      guard statement.orDie != nil else { return out.add(written.code + ";") }
      code = truthy(CValue(code: "(\(written.code))", kind: written.kind))
    case .destructure:
      throw SourceExport.Refusal("[$a, $b] = … takes an array apart, and arrays are not written in C here", line: line)
    case .echo(let items):
      for item in items {
        manPages(item)
        try echo(item, line: line)
      }
      return
    }
    // `or die(…)`: the statement's value decides; a script ends with 1.
    out.add("if (!(\(code))) {")
    out.depth += 1
    if let message = statement.orDie, let message { try echo(message, line: line) }
    out.add(tree.isPHP ? "exit(0);" : "exit(1);")
    out.depth -= 1
    out.add("}")
  }

  /// `$x = value`: the variable is declared with the value's kind, the first time.
  mutating func assignment(_ target: String, _ value: Expr, line: Int) throws(SourceExport.Refusal) -> CValue {
    let written = try expression(value, line: line)
    try give(target, written.kind, line: line)
    return CValue(code: "\(name(target)) = \(written.code)", kind: written.kind)
  }

  mutating func give(_ target: String, _ kind: Kind, line: Int) throws(SourceExport.Refusal) {
    if let known = scope.kinds[target], (known == .bytes) != (kind == .bytes) {
      throw SourceExport.Refusal(
        "$\(target) holds a \(known == .bytes ? "string" : "number") and then a \(kind == .bytes ? "string" : "number"); a C variable has one type",
        line: line)
    }
    if scope.kinds[target] == nil { scope.order.append(target) }
    scope.kinds[target] = kind
  }

  /// Writes each value as echo does.
  mutating func echo(_ item: Expr, line: Int) throws(SourceExport.Refusal) {
    if case .interpolated(let parts) = item {
      for part in parts { try echo(part, line: line) }
      return
    }
    if case .concat(let parts) = item {
      for part in parts { try echo(part, line: line) }
      return
    }
    let value = try expression(item, line: line)
    if let literal = value.literal {
      out.add("fwrite(\(CProgramWriter.string(literal)), 1, \(literal.count), stdout);")
    } else if value.kind == .bytes {
      out.add("out(\(value.code));")
    } else if value.kind == .number {
      out.add("printf(\"%ld\", (long)(\(value.code)));")
    } else {
      // A bool, a call's status or a false count prints as PHP prints it.
      out.add("out(\(bytes(value)));")
    }
  }

  mutating func manPages(_ expr: Expr) {
    let pages = SourceSyntax.manPages(in: expr)
    if !pages.isEmpty { out.add("/* " + pages.joined(separator: ", ") + " */") }
  }
}
