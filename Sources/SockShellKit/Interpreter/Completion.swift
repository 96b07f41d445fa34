import Glibc

/// What Tab offers: the word being completed starts at `start` (a byte offset in the line) and
/// may become any of `candidates`.
public struct Completion: Equatable, Sendable {
  public var start: Int
  public var candidates: [String]

  public init(start: Int, candidates: [String]) {
    self.start = start
    self.candidates = candidates
  }
}

/// Tab completion that knows the language, as a pure function of the line and the session:
/// command names at the start of a statement; after a command, what that argument position
/// takes according to the command's synopsis. The terminal only displays the result.
public struct Completer {
  /// Characters that end a word; the line editor is told the same set.
  public static let wordBreaks = " \t\n\"'(,;=[]|"

  public let table: CommandTable
  public let variables: [String: Value]
  /// Open handles: number and domain.
  public let handles: [(number: Int, domain: Int32)]
  /// Live iovec numbers.
  public let iovecs: [Int]
  public let lessons: () -> [String]
  public let files: (String) -> [String]

  public init(
    table: CommandTable, variables: [String: Value], handles: [(number: Int, domain: Int32)],
    iovecs: [Int] = [], lessons: @escaping () -> [String] = { [] },
    files: @escaping (String) -> [String] = Completer.listFiles
  ) {
    self.table = table
    self.variables = variables
    self.handles = handles
    self.iovecs = iovecs
    self.lessons = lessons
    self.files = files
  }

  /// The session's commands, variables and handles; lessons from the lesson library.
  public init(interpreter: Interpreter) {
    self.init(
      table: interpreter.table, variables: interpreter.variables,
      handles: interpreter.handles.open.map { ($0.number, $0.domain) },
      iovecs: interpreter.iovecs.live.map(\.number),
      lessons: { LessonLibrary.locate().map { $0.completionNames } ?? [] })
  }

  public func complete(_ line: String, cursor: Int? = nil) -> Completion {
    let bytes = Array(line.utf8)
    let end = min(cursor ?? bytes.count, bytes.count)
    var start = end
    while start > 0, !Completer.wordBreaks.utf8.contains(bytes[start - 1]) { start -= 1 }
    let word = String(decoding: bytes[start..<end], as: UTF8.self)
    let context = Completer.context(of: Array(bytes[..<start]))
    return Completion(start: start, candidates: matching(word, candidates(for: context, word: word)))
  }

  // MARK: - Where the cursor is

  /// The position being completed: the start of a statement, or an argument of a command.
  enum Context: Equatable {
    case statementStart
    /// Argument `index` of `command`; `inList` when inside `[...]` (select's handle lists);
    /// `first` is the first argument as typed, when the cursor is past it (`$s` in `bind $s `).
    case argument(command: String, index: Int, inList: Bool, first: String? = nil)
    /// Inside a string, or after something completion does not understand.
    case none
  }

  /// Reads the line up to the word being completed, as the parser would, but forgiving: the
  /// line is unfinished by nature.
  static func context(of prefix: [UInt8]) -> Context {
    // The current statement starts after the last `;` outside a string.
    var statementStart = 0
    var quote: UInt8? = nil
    var index = 0
    while index < prefix.count {
      let c = prefix[index]
      if let open = quote {
        if c == UInt8(ascii: "\\") && open == UInt8(ascii: "\"") {
          index += 1
        } else if c == open {
          quote = nil
        }
      } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
        quote = c
      } else if c == UInt8(ascii: ";") {
        statementStart = index + 1
      } else if c == UInt8(ascii: "#") && (index == 0 || prefix[index - 1] == 32) {
        // `#` starts a comment unless a handle number follows it.
        if index + 1 >= prefix.count || !(48...57).contains(prefix[index + 1]) { return .none }
      }
      index += 1
    }
    var statement = Array(prefix[statementStart...])
    // A string still open is the argument being typed: `bind $s "/tmp/s`.
    if quote != nil, let last = statement.last, last == UInt8(ascii: "\"") || last == UInt8(ascii: "'") {
      statement.removeLast()
    } else if quote != nil {
      return .none
    }
    statement = dropAssignment(statement)
    if statement.allSatisfy({ $0 == 32 || $0 == 9 }) { return .statementStart }

    // Frames of open parentheses (calls) and brackets (lists).
    struct Frame {
      var command: String?
      var commas = 0
      var isList: Bool
      /// Where the frame's contents start, and where its first comma is.
      var start = 0
      var firstComma: Int?
    }
    var frames: [Frame] = []
    var identifier: [UInt8] = []
    var lastIdentifier = ""
    var commandWord: String?
    // Arguments finished (followed by a space) after the command word, in command form.
    var items = 0
    var inItem = false
    quote = nil
    for (position, c) in statement.enumerated() {
      if let open = quote {
        if c == open { quote = nil }
        continue
      }
      let isWordByte =
        (c | 0x20) >= 97 && (c | 0x20) <= 122 || (48...57).contains(c) || c == 95 || c == 36 || c >= 0x80
      if isWordByte {
        identifier.append(c)
        if frames.isEmpty && commandWord != nil { inItem = true }
        continue
      }
      if !identifier.isEmpty {
        lastIdentifier = String(decoding: identifier, as: UTF8.self)
        identifier.removeAll()
      }
      let isSpace = c == 32 || c == 9
      if frames.isEmpty && commandWord == nil {
        if isSpace && !lastIdentifier.isEmpty { commandWord = lastIdentifier }
        if isSpace || c != UInt8(ascii: "(") {
          if !isSpace { lastIdentifier = "" }
          continue
        }
      } else if frames.isEmpty {
        if isSpace {
          if inItem { items += 1 }
          inItem = false
        } else {
          inItem = true
        }
      }
      switch c {
      case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = c
      case UInt8(ascii: "("):
        frames.append(
          Frame(command: lastIdentifier.isEmpty ? nil : lastIdentifier, isList: false, start: position + 1))
      case UInt8(ascii: "["): frames.append(Frame(command: nil, isList: true))
      case UInt8(ascii: ")"), UInt8(ascii: "]"): if !frames.isEmpty { frames.removeLast() }
      case UInt8(ascii: ","):
        if !frames.isEmpty {
          if frames[frames.count - 1].commas == 0 { frames[frames.count - 1].firstComma = position }
          frames[frames.count - 1].commas += 1
        }
      default: break
      }
      if !isSpace { lastIdentifier = "" }
    }
    if !identifier.isEmpty { lastIdentifier = String(decoding: identifier, as: UTF8.self) }
    // The innermost call decides; a list inside it keeps that call's argument position.
    var inList = false
    for frame in frames.reversed() {
      if frame.isList {
        inList = true
        continue
      }
      guard let command = frame.command else { return .none }
      let first = frame.firstComma.map { trimmed(statement[frame.start..<$0]) }
      return .argument(command: command, index: frame.commas, inList: inList, first: first)
    }
    guard let commandWord else { return frames.isEmpty ? .statementStart : .none }
    let words = statement.split(whereSeparator: { $0 == 32 || $0 == 9 })
    let first = items >= 1 && words.count > 1 ? trimmed(words[1]) : nil
    return .argument(command: commandWord, index: items, inList: inList, first: first)
  }

  private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
    String(decoding: bytes.drop { $0 == 32 || $0 == 9 }, as: UTF8.self).trimmingSuffix(while: {
      $0 == " " || $0 == "\t"
    })
  }

  /// `$x = `, `$x ??= `, `[$a, $b] = ` and `list($a, $b) = ` before the command.
  static func dropAssignment(_ statement: [UInt8]) -> [UInt8] {
    var quote: UInt8? = nil
    var depth = 0
    for (index, c) in statement.enumerated() {
      if let open = quote {
        if c == open { quote = nil }
        continue
      }
      switch c {
      case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = c
      case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
      case UInt8(ascii: ")"), UInt8(ascii: "]"): depth -= 1
      case UInt8(ascii: "=") where depth == 0:
        let next = index + 1 < statement.count ? statement[index + 1] : 0
        let previous = index > 0 ? statement[index - 1] : 0
        // `==`, `!=`, `<=`, `>=` are not assignments.
        guard next != UInt8(ascii: "="), ![33, 60, 61, 62].contains(previous) else { continue }
        return Array(statement[(index + 1)...].drop { $0 == 32 || $0 == 9 })
      default: break
      }
    }
    return statement
  }

  // MARK: - What fits there

  func candidates(for context: Context, word: String) -> [String] {
    switch context {
    case .none:
      return []
    case .statementStart:
      if word.hasPrefix("$") { return variableNames { _ in true } }
      return table.allNames + ["echo", "print"]
    case .argument(let name, let index, let inList, let first):
      guard let spec = table.lookup(name) else { return [] }
      let slots = spec.argumentSlots
      guard index < slots.count else { return [] }
      return candidates(for: slots[index], inList: inList, word: word, first: first)
    }
  }

  func candidates(for slot: ArgumentSlot, inList: Bool, word: String, first: String? = nil) -> [String] {
    let placeholder: String
    switch slot {
    case .words(let words): return words
    case .placeholder(let name): placeholder = name
    }
    let openHandles = Set(handles.map(\.number))
    let holdsHandle: (Value) -> Bool = { value in
      if case .handle(let number) = value { return openHandles.contains(number) }
      return false
    }
    let handleWords = handles.map { "#\($0.number)" }
    switch placeholder {
    case "HANDLE":
      return handleWords + variableNames(holdsHandle)
    case "READ", "WRITE", "EXCEPT":
      if inList { return handleWords + variableNames(holdsHandle) }
      return ["null"]
        + variableNames { value in
          if case .list = value { return true }
          return holdsHandle(value)
        }
    case "IOVEC":
      let live = Set(iovecs)
      return iovecs.map { "%\($0)" }
        + variableNames { value in
          if case .iovec(let number) = value { return live.contains(number) }
          return false
        }
    case "HOW":
      return ["rd", "wr", "rdwr"] + SocketNames.shutdownHows.map(\.name)
    case "DOMAIN":
      return SocketNames.domains.prefix(3).map(\.name) + ["inet", "inet6", "unix"]
    case "TYPE":
      return SocketNames.types.prefix(4).map(\.name) + ["stream", "dgram", "seqpacket", "raw"]
    case "PROTOCOL":
      return ["0"] + SocketNames.protocols.map(\.name)
    case "ADDRESS", "PATH":
      // A Unix socket's address is a path; so is a word that starts like one.
      if placeholder == "PATH" || domain(of: first) == AF_UNIX || word.hasPrefix("/") || word.hasPrefix(".")
        || word.hasPrefix("~")
      {
        return files(word)
      }
      return ["127.0.0.1", "::1", "localhost"] + variableNames { _ in true }
    case "COMMAND":
      return table.allNames
    case "LESSON":
      return lessons()
    case "ERRNO":
      return Errno.numbersByName.keys.sorted()
    case "LEVEL":
      return ["SOL_SOCKET", "SOL_TCP", "SOL_UDP", "IPPROTO_TCP", "IPPROTO_IP", "IPPROTO_IPV6"]
    case "OPTION", "NAME":
      return Constants.table.keys.filter { ["SO_", "TCP_", "IP_", "IPV6_"].contains(where: $0.hasPrefix) }
        .sorted()
    case "FLAGS":
      return Constants.table.keys.filter { $0.hasPrefix("MSG_") }.sorted()
    default:
      return variableNames { _ in true }
    }
  }

  /// The domain of the handle an argument names: `#3`, `3` or a variable holding it.
  func domain(of argument: String?) -> Int32? {
    guard let argument else { return nil }
    var number: Int?
    if argument.hasPrefix("$"), case .handle(let n)? = variables[String(argument.dropFirst())] {
      number = n
    } else {
      number = Int(argument.hasPrefix("#") ? String(argument.dropFirst()) : argument)
    }
    return handles.first { $0.number == number }?.domain
  }

  private func variableNames(_ accept: (Value) -> Bool) -> [String] {
    variables.filter { accept($0.value) }.keys.sorted().map { "$" + $0 }
  }

  /// Candidates that start with the word: exactly first; if none, ignoring case (`af_` finds
  /// `AF_INET`). A word starting with `$` or `#` matches only variables or handles.
  func matching(_ word: String, _ candidates: [String]) -> [String] {
    var seen = Set<String>()
    let unique = candidates.filter { seen.insert($0).inserted }
    let exact = unique.filter { $0.hasPrefix(word) }
    if !exact.isEmpty || word.isEmpty { return word.isEmpty ? unique : exact }
    let lower = word.lowercased()
    return unique.filter { $0.lowercased().hasPrefix(lower) }
  }

  /// Paths that start with `prefix`, directories ending in `/`: what an AF_UNIX address may be.
  public static func listFiles(_ prefix: String) -> [String] {
    var expanded = prefix
    var home: String?
    if prefix.hasPrefix("~"), let value = getenv("HOME") {
      home = String(cString: value)
      expanded = home! + prefix.dropFirst()
    }
    let slash = expanded.lastIndex(of: "/")
    let directory = slash.map { String(expanded[...$0]) } ?? ""
    let stem = slash.map { String(expanded[expanded.index(after: $0)...]) } ?? expanded
    guard let handle = opendir(directory.isEmpty ? "." : directory) else { return [] }
    defer { closedir(handle) }
    var found: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      guard name != "." && name != "..", name.hasPrefix(stem), !name.hasPrefix(".") || stem.hasPrefix(".")
      else { continue }
      var path = directory + name
      var info = stat()
      if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { path += "/" }
      if let home { path = "~" + path.dropFirst(home.count) }
      found.append(path)
    }
    return found.sorted()
  }
}

extension String {
  fileprivate func trimmingSuffix(while isTrimmed: (Character) -> Bool) -> String {
    var text = Substring(self)
    while let last = text.last, isTrimmed(last) { text = text.dropLast() }
    return String(text)
  }
}
