/// Gives out the program's names: the session's where it had one, made legal in the language
/// and distinct where two things would otherwise share a name.
struct Namer {
  let naming: ExportPlan.Naming
  private var taken: Set<String> = []
  private var dataNames: Set<String> = []

  init(naming: ExportPlan.Naming) { self.naming = naming }

  /// A name for a socket: the session's variable, reused only when `busy` says no open socket
  /// holds it now.
  mutating func name(_ wanted: String, busy: (String) -> Bool) -> String {
    var name = Namer.identifier(wanted)
    if naming.reserved.contains(name) { name += naming.suffix }
    if dataNames.contains(name) { name += "_socket" }
    if taken.contains(name) && (busy(name) || dataNames.contains(name)) {
      var number = 2
      while taken.contains("\(name)_\(number)") { number += 1 }
      name = "\(name)_\(number)"
    }
    taken.insert(name)
    return name
  }

  /// A name for data read: shared by every read into the same variable, never a socket's.
  mutating func dataName(_ wanted: String, isSocket: (String) -> Bool) -> String {
    var name = Namer.identifier(wanted)
    if naming.reserved.contains(name) { name += naming.suffix }
    if isSocket(name) || (taken.contains(name) && !dataNames.contains(name)) { name += "_data" }
    taken.insert(name)
    dataNames.insert(name)
    return name
  }

  /// A name of the program's own, not taken yet.
  mutating func fresh(_ wanted: String) -> String {
    var name = wanted
    var number = 2
    while taken.contains(name) || naming.reserved.contains(name) {
      name = "\(wanted)_\(number)"
      number += 1
    }
    taken.insert(name)
    return name
  }

  /// ASCII letters, digits and `_`, not starting with a digit.
  static func identifier(_ text: String) -> String {
    var name = String(
      text.unicodeScalars.map { scalar -> Character in
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
          ? Character(scalar) : "_"
      })
    if name.isEmpty || name.first!.isNumber { name = "v" + name }
    return name
  }
}
