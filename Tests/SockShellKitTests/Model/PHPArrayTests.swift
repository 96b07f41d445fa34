import Testing

@testable import SockShellKit

/// PHPArray against a plain model of an ordered map (a list of pairs and the next index), under
/// a seeded random walk of sets, appends, removals, pops and shifts: the list and table forms,
/// the holes and their closing must never show.
@Suite struct PHPArrayTests {
  struct Model {
    var pairs: [(key: ArrayKey, value: Value)] = []
    var next: Int? = nil

    mutating func set(_ key: ArrayKey, _ value: Value) {
      if let at = pairs.firstIndex(where: { $0.key == key }) {
        pairs[at].value = value
      } else {
        pairs.append((key, value))
        if case .int(let n) = key, next.map({ n >= $0 }) ?? true { next = n + 1 }
      }
    }
  }

  /// A small deterministic generator (xorshift), so a failure can be replayed from its seed.
  struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Int(state % UInt64(bound))
    }
  }

  @Test(arguments: [1, 7, 42, 1234, 99991] as [UInt64])
  func aRandomWalkMatchesTheModel(seed: UInt64) {
    var random = Generator(state: seed)
    var array = PHPArray()
    var model = Model()
    for step in 0..<3000 {
      let value = Value.int(step)
      switch random.next(7) {
      case 0, 1:
        let appended = array.append(value)
        #expect(appended)
        model.set(.int(model.next ?? 0), value)
      case 2:
        let key: ArrayKey = random.next(2) == 0 ? .int(random.next(40) - 5) : .string(Array("k\(random.next(10))".utf8))
        array.set(key, value)
        model.set(key, value)
      case 3, 4:
        let key: ArrayKey = random.next(3) == 0 ? .string(Array("k\(random.next(10))".utf8)) : .int(random.next(40))
        let removed = array.remove(key)
        let at = model.pairs.firstIndex { $0.key == key }
        #expect(removed == at.map { model.pairs[$0].value })
        if let at { model.pairs.remove(at: at) }
      case 5:
        let popped = array.removeLast()
        #expect(popped == model.pairs.last?.value)
        if let last = model.pairs.popLast(), case .int(let n) = last.key, n == (model.next ?? 0) - 1 {
          model.next = n
        }
      default:
        let shifted = array.removeFirst()
        #expect(shifted == model.pairs.first?.value)
        if !model.pairs.isEmpty {
          let rest = model.pairs.dropFirst()
          model = Model()
          for (key, item) in rest {
            if case .string = key { model.set(key, item) } else { model.set(.int(model.next ?? 0), item) }
          }
        }
      }
      #expect(array.count == model.pairs.count)
      #expect(array.nextIndex == (model.next ?? 0), "seed \(seed) step \(step)")
      if array.count != model.pairs.count { return }
    }
    #expect(Array(array).map(\.key) == model.pairs.map(\.key))
    #expect(array.values == model.pairs.map(\.value))
    for (key, value) in model.pairs { #expect(array[key] == value) }
  }

  @Test func keysAreMadeAsPHPMakesThem() {
    #expect(ArrayKey(string: Array("8".utf8)) == .int(8))
    #expect(ArrayKey(string: Array("-3".utf8)) == .int(-3))
    #expect(ArrayKey(string: Array("0".utf8)) == .int(0))
    for text in ["08", "+3", "1.0", " 8", "8 ", "-0", "", "9223372036854775808", "0x1A"] {
      #expect(ArrayKey(string: Array(text.utf8)) == .string(Array(text.utf8)), "\(text)")
    }
    #expect(ArrayKey(string: Array("9223372036854775807".utf8)) == .int(Int.max))
    #expect(ArrayKey(string: Array("-9223372036854775808".utf8)) == .int(Int.min))
  }

  @Test func theLargestKeyLeavesNoNextIndex() {
    var array = PHPArray()
    array.set(.int(Int.max), .int(1))
    let appended = array.append(.int(2))
    #expect(!appended)
    #expect(array.count == 1)
  }

  @Test func aListStaysAListAndEqualityIsByKeysInOrder() {
    var list = PHPArray([.int(1), .int(2)])
    #expect(list.isList)
    list.set(.string(Array("k".utf8)), .int(3))
    #expect(!list.isList)
    var a = PHPArray()
    a.set(.string([97]), .int(1))
    a.set(.string([98]), .int(2))
    var b = PHPArray()
    b.set(.string([98]), .int(2))
    b.set(.string([97]), .int(1))
    #expect(a != b)
    #expect(PHPOperators.looseEquals(.array(a), .array(b)))
  }
}
