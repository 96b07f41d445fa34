import Foundation
import Glibc
import Testing

@testable import SockShellKit

/// PHP's string and value functions, held to php-cli: each case is a line of PHP that sockshell
/// runs in-process and `php -r` runs as a program, and the two must print the same bytes.
/// Literal expectations below keep the suite meaningful where php-cli is missing.
@Suite struct PHPFunctionTests {
  // MARK: - Cases compared with php-cli

  static let searching = [
    #"var_dump(strpos("abc", "c"));"#,
    #"var_dump(strpos("abc", "d"));"#,
    #"var_dump(strpos("abcabc", "c", 3));"#,
    #"var_dump(strpos("abc", ""));"#,
    #"var_dump(strpos("abc", "", 3));"#,
    #"var_dump(strpos("", ""));"#,
    #"var_dump(strpos("", "a"));"#,
    #"var_dump(strpos("abc", "c", -1));"#,
    #"var_dump(strpos("abc", "a", -1));"#,
    #"var_dump(strpos("abc", "a", -3));"#,
    #"var_dump(strpos("abc", "bc", 2));"#,
    #"var_dump(strpos("a1", 1));"#,
    #"var_dump(strpos(123, 2));"#,
    #"var_dump(strpos("abc", true));"#,
    #"var_dump(strpos("abc", null));"#,
    #"var_dump(strpos("a\xffb\x00c", "\x00"));"#,
    #"var_dump(strpos("\xc3\xa9t\xc3\xa9", "t"));"#,
    #"var_dump(strpos(str_repeat("ab", 40) . "abc", str_repeat("ab", 20) . "c"));"#,
    #"var_dump(str_contains("abc", ""));"#,
    #"var_dump(str_contains("", ""));"#,
    #"var_dump(str_contains("abc", "d"));"#,
    #"var_dump(str_contains("a\x00b", "\x00"));"#,
    #"var_dump(str_starts_with("abc", ""));"#,
    #"var_dump(str_starts_with("abc", "ab"));"#,
    #"var_dump(str_starts_with("", "a"));"#,
    #"var_dump(str_starts_with("ab", "abc"));"#,
    #"var_dump(str_ends_with("abc", "bc"));"#,
    #"var_dump(str_ends_with("abc", "abcd"));"#,
    #"var_dump(str_ends_with("", ""));"#,
    #"var_dump(str_ends_with("abc", ""));"#,
    #"var_dump(ucfirst("hello"));"#,
    #"var_dump(ucfirst(""));"#,
    #"var_dump(ucfirst("\xc3\xa9a"));"#,
    #"var_dump(ucfirst("1a"));"#,
    #"var_dump(ucfirst(" a"));"#,
    #"var_dump(ucfirst("zZ"));"#,
  ]

  static let building = [
    #"var_dump(str_repeat("abc", 5));"#,
    #"var_dump(str_repeat("x\x00y", 3));"#,
    #"var_dump(str_repeat("ab", 0), str_repeat("", 7), str_repeat(12, 3));"#,
    #"var_dump(strlen(str_repeat("abc", 1000001)), substr(str_repeat("abcdefg", 1000), 6990));"#,
    #"var_dump(str_pad("5", 3, "0", STR_PAD_LEFT));"#,
    #"var_dump(str_pad("abc", 10, "xy", STR_PAD_BOTH));"#,
    #"var_dump(str_pad("abc", 8, "123", STR_PAD_BOTH));"#,
    #"var_dump(str_pad("abc", 2));"#,
    #"var_dump(str_pad("abc", -5));"#,
    #"var_dump(str_pad("", 3, "ab"));"#,
    #"var_dump(str_pad("x", 4, "ab", STR_PAD_LEFT));"#,
    #"var_dump(str_pad("x", 3.5));"#,
    #"var_dump(str_pad("x", "3"));"#,
    #"var_dump(str_pad("\xff", 3, "\x00"));"#,
    #"var_dump(str_pad("abc", 6));"#,
    #"var_dump(str_pad("abc", 3, ""));"#,
    #"var_dump(str_pad("abc", 2, " ", 9));"#,
    #"var_dump(str_replace("a", "b", "aaa"));"#,
    #"var_dump(str_replace("", "b", "aaa"));"#,
    #"var_dump(str_replace("aa", "a", "aaaa"));"#,
    #"var_dump(str_replace(["a", "b"], ["b", "c"], "ab"));"#,
    #"var_dump(str_replace(["a", "b"], "x", "abc"));"#,
    #"var_dump(str_replace(["a", "b"], ["x"], "abc"));"#,
    #"var_dump(str_replace(1, 2, 111));"#,
    #"var_dump(str_replace(["a", ""], ["1", "2"], "abc"));"#,
    #"var_dump(str_replace("A", "x", "aA"));"#,
    #"var_dump(str_replace([], [], "abc"));"#,
    #"var_dump(str_replace("a", "x", ["abc", "a", 1, null, 1.5, true]));"#,
    #"var_dump(str_replace("\xff", "\x00", "a\xffb"));"#,
    #"var_dump(str_replace("\r\n", "\n", "a\r\nb\r\n"));"#,
    #"$n = 0; $r = str_replace("a", "bb", "banana", $n); var_dump($r, $n);"#,
    #"$r = str_replace(["a", "n"], ["n", "a"], ["banana", "an"], $count); var_dump($r, $count);"#,
    #"var_dump(explode(",", "a,b,,c"));"#,
    #"var_dump(explode(",", ""));"#,
    #"var_dump(explode(",", ","));"#,
    #"var_dump(explode(", ", "a, b, c"));"#,
    #"var_dump(explode(",", "a,b,c", 2));"#,
    #"var_dump(explode(",", "a,b,c", 0));"#,
    #"var_dump(explode(",", "a,b,c", 1));"#,
    #"var_dump(explode(",", "a,b,c", 9));"#,
    #"var_dump(explode(",", "a,b,c", -1));"#,
    #"var_dump(explode(",", "a,b,c", -5));"#,
    #"var_dump(explode(",", "abc", -1));"#,
    #"var_dump(explode(",", "", -1));"#,
    #"var_dump(explode(",", "a,b,c", PHP_INT_MIN));"#,
    #"var_dump(explode(1, "a1b"));"#,
    #"var_dump(explode("ab", "xabyabz", 2));"#,
    #"var_dump(explode("\n", "l1\nl2\n"));"#,
    #"var_dump(implode(",", ["a", "b"]));"#,
    #"var_dump(implode(["a", "b"]));"#,
    #"var_dump(implode(",", []));"#,
    #"var_dump(join("-", [1, 2]));"#,
    #"var_dump(implode("", ["a", "b"]));"#,
    #"var_dump(implode(",", [1, 1.5, true, false, null, 0.30000000000000004]));"#,
    #"var_dump(implode(", ", [floatval("1e25"), -0.0]));"#,
    #"echo implode(",", explode(" ", "reverse me please")), "\n";"#,
  ]

  static let formatting = [
    #"echo sprintf("[%s] [%5s] [%-5s] [%05s] [%'*8s] [%.2s] [%5.1s]", "abc", "abc", "abc", "x", "hi", "abc", "abc");"#,
    #"echo sprintf("[%d] [%5d] [%-5d] [%05d] [%-05d] [%+d] [%+05d] [% 5d]", 42, 42, -3, -3, -3, 3, 3, 1);"#,
    #"echo sprintf("[%u] [%u] [%5u] [%-05u] [%+u]", 3000000000, -1, 5, 5, 5);"#,
    #"echo sprintf("[%x] [%X] [%o] [%b] [%x] [%b] [%o] [%X]", 255, 255, 8, 5, -1, 0, -1, -255);"#,
    #"echo sprintf("[%08x] [%-8X] [%.2x] [%5.2x] [%05.1x] [%+x] [%-05x]", 255, 255, 255, 255, 255, 255, 5);"#,
    #"echo sprintf("[%c%c] [%5c] [%-5c] [%c]", 65, 321, 66, 67, "68");"#,
    #"echo bin2hex(sprintf("%c%c%c", 0, 255, -1));"#,
    #"echo sprintf("[%f] [%.2f] [%.0f] [%.0f] [%.0f] [%.1f] [%.2f] [%5.2f]", 1.5, 3.14159, 2.5, 0.5, 1.5, 0.05, 2.675, 3.14159);"#,
    #"echo sprintf("[%010.3f] [%-10.3f] [%+.2f] [%+05.1f] [%05.1f] [%-015f] [%F]", -3.14159, 3.14159, 0, -2.25, 9.96, -1.5, 1.5);"#,
    #"echo sprintf("[%.3f] [%.1f] [%.15f] [%f] [%.53f]", -0.0, -0.04, 0.1, floatval("1e15"), 0.1);"#,
    #"echo sprintf("[%e] [%.2e] [%e] [%.0e] [%E] [%.3e] [%e] [%+e] [%08.3e]", 1234.5, 0.000123, 0, 12345, 1.5, floatval("1e100"), -0.0, 1, 1234.5);"#,
    #"echo sprintf("[%.1e] [%e] [%5.1e] [%.53e]", 9.96, floatval("1e-300"), 0.000001234, 0.1);"#,
    #"echo sprintf("[%g] [%g] [%g] [%G] [%g] [%g] [%.0g] [%.2g] [%g]", 0.00001234, floatval("1e25"), 123456789, 0.0000000001, 100000, 1000000, 1234, 0.0001234, -0.0);"#,
    #"echo sprintf("[%.3g] [%G] [%.10g] [%g] [%+g] [%010g] [%.17g] [%.1g] [%.0G]", 1234567, 0.000012345, 0.3333333333333333, 0.0001, 0, -1.5, 0.1, 0.95, 0.5);"#,
    #"echo sprintf("[%h] [%H] [%10.4h] [%.*H] [%.*g]", floatval("1e20"), 0.30000000000000004, 3.14159, -1, 0.30000000000000004, -1, 0.1);"#,
    #"echo sprintf("[%f] [%f] [%f] [%010f] [%-6f] [%+f] [%e] [%g]", floatval("1e400"), floatval("-1e400"), NAN, floatval("-1e400"), INF, INF, NAN, INF);"#,
    #"echo sprintf("[%d] [%d] [%d] [%d] [%d] [%d] [%d] [%d]", "12abc", 3.99, "1e3", "0x1A", " 12 ", null, true, [1]);"#,
    #"echo sprintf("[%d] [%d] [%d] [%d] [%u]", floatval("9.9e18"), floatval("1e19"), NAN, "9223372036854775808", PHP_INT_MIN);"#,
    #"echo sprintf("[%s] [%s] [%s] [%s] [%s] [%s]", 0.30000000000000004, true, false, null, floatval("1e100"), -0.0);"#,
    #"echo sprintf("[%2\$s %1\$s] [%1\$s %s] [%2\$s %s] [%1\$05d] [%1\$-5d] [%1\$'*5d]", 3, "b");"#,
    #"echo sprintf("[%*d] [%-*d] [%.*f] [%*.*f] [%.*s] [%1\$*2\$d]", 5, 3, 5, 3, 2, 3.14159, 8, 2, 3.14159, 2, "abc");"#,
    #"echo sprintf("%%|%5%|%ls|%'05d|%.s|%.f|", 1, "a", 1, "abc", 1.5);"#,
    #"echo sprintf(""), sprintf("plain"), sprintf("%%%s%%", "x"), sprintf("%s", "");"#,
    #"echo sprintf("[%5s]", "\xc3\xa9"), sprintf("[%-4s]", "\xff"), sprintf("[%s]", "a\x00b");"#,
    #"echo sprintf("%10.4f|%-10s|%u|%'.10d|%-10s|", -3.14159, "left", 3000000000, 42, "x");"#,
    #"$n = printf("%s-%05.1f|%x\n", "a", 3.14159, 255); var_dump($n);"#,
    #"$n = printf("abc"); echo "\n"; var_dump($n);"#,
    #"echo number_format(1234.5678);"#,
    #"echo number_format(1234.5678, 2);"#,
    #"echo number_format(-1234.567, 2, ",", ".");"#,
    #"echo number_format(0.5);"#,
    #"echo number_format(-0.4);"#,
    #"echo number_format(1.005, 2);"#,
    #"echo number_format(0.285, 2);"#,
    #"echo number_format(1.955, 2);"#,
    #"echo number_format(5.055, 2);"#,
    #"echo number_format(5.045, 2);"#,
    #"echo number_format(1.45, 1);"#,
    #"echo number_format(0.49999999999999994);"#,
    #"echo number_format(2.5);"#,
    #"echo number_format(-2.5);"#,
    #"echo number_format(999999.999, 2);"#,
    #"echo number_format(-0.0);"#,
    #"echo number_format(floatval("-1e-7"), 2);"#,
    #"echo number_format(INF);"#,
    #"echo number_format(NAN, 2);"#,
    #"echo number_format(floatval("-1e400"), 2);"#,
    #"echo number_format(floatval("1e80"));"#,
    #"echo number_format(PHP_INT_MAX);"#,
    #"echo number_format(1234.567, 2, "", "");"#,
    #"echo number_format(1234567.891, 2, ".", " ");"#,
    #"echo number_format(1234, -2);"#,
    #"echo number_format(1234.5, 2, "dec", "thou");"#,
    #"echo number_format(12345678.9, 3, "", "--");"#,
    #"echo number_format("1234.5");"#,
    #"echo number_format(true);"#,
    #"echo number_format(null);"#,
    #"echo number_format(" 12 ");"#,
    #"echo number_format(1234.5, 1, null, null);"#,
    #"echo number_format(floatval("1e15"), 2);"#,
    #"echo number_format(floatval("1.23456789e-10"), 12);"#,
    #"echo number_format(floatval("1.0000000000000002"), 15);"#,
    #"echo number_format(123456789012345.678, 2);"#,
    #"echo number_format(floatval("1e-300"), 400);"#,
    #"echo number_format(0.1, 100);"#,
    #"echo number_format(0.30000000000000004, 20);"#,
  ]

  static let conversions = [
    #"var_dump(intval("12abc"));"#,
    #"var_dump(intval("  12"));"#,
    #"var_dump(intval("12  "));"#,
    #"var_dump(intval(" \n\t\v\f12"));"#,
    #"var_dump(intval("1e3"));"#,
    #"var_dump(intval("1.9e3"));"#,
    #"var_dump(intval("-1.5"));"#,
    #"var_dump(intval("0x1A"));"#,
    #"var_dump(intval("0x1A", 16));"#,
    #"var_dump(intval("0x1A", 0));"#,
    #"var_dump(intval("012", 0));"#,
    #"var_dump(intval("0b11", 0));"#,
    #"var_dump(intval("0b11", 2));"#,
    #"var_dump(intval("0o17", 8));"#,
    #"var_dump(intval("z", 36));"#,
    #"var_dump(intval("12", 5));"#,
    #"var_dump(intval("ff", 16));"#,
    #"var_dump(intval("  0x1f", 16));"#,
    #"var_dump(intval("-0x1f", 16));"#,
    #"var_dump(intval("42", 1));"#,
    #"var_dump(intval(42, 8));"#,
    #"var_dump(intval("12", 37));"#,
    #"var_dump(intval("12", -1));"#,
    #"var_dump(intval("9999999999999999999"));"#,
    #"var_dump(intval("-9999999999999999999"));"#,
    #"var_dump(intval("9999999999999999999", 16));"#,
    #"var_dump(intval("-9223372036854775808"));"#,
    #"var_dump(intval("9223372036854775808"));"#,
    #"var_dump(intval(floatval("1e20")));"#,
    #"var_dump(intval(floatval("-1e20")));"#,
    #"var_dump(intval(1.9));"#,
    #"var_dump(intval(-1.9));"#,
    #"var_dump(intval(NAN));"#,
    #"var_dump(intval(INF));"#,
    #"var_dump(intval(floatval("9.2233720368547758e18")));"#,
    #"var_dump(intval(""));"#,
    #"var_dump(intval(null));"#,
    #"var_dump(intval(true));"#,
    #"var_dump(intval([]));"#,
    #"var_dump(intval([0]));"#,
    #"var_dump(intval("+5"));"#,
    #"var_dump(intval("--5"));"#,
    #"var_dump(intval(".5"));"#,
    #"var_dump(intval("5."));"#,
    #"var_dump(intval("1e"));"#,
    #"var_dump(intval("1e+"));"#,
    #"var_dump(intval("1e400"));"#,
    #"var_dump(intval(" 1 2"));"#,
    #"var_dump(intval("1_000"));"#,
    #"var_dump(intval("\x001"));"#,
    #"var_dump(intval("1e20"));"#,
    #"var_dump(intval("-1e20"));"#,
    #"var_dump(intval("0.9999999999999999999"));"#,
    #"var_dump(floatval("1e3"));"#,
    #"var_dump(floatval("abc"));"#,
    #"var_dump(floatval(".5"));"#,
    #"var_dump(floatval("1e"));"#,
    #"var_dump(floatval(" 1.5 "));"#,
    #"var_dump(floatval("0x1A"));"#,
    #"var_dump(floatval("inf"));"#,
    #"var_dump(floatval("-0"));"#,
    #"var_dump(floatval("1.5abc"));"#,
    #"var_dump(floatval("1e400"));"#,
    #"var_dump(floatval("1e-400"));"#,
    #"var_dump(floatval("-.5e-2x"));"#,
    #"var_dump(floatval(null));"#,
    #"var_dump(floatval(true));"#,
    #"var_dump(floatval([]));"#,
    #"var_dump(floatval("1."));"#,
    #"var_dump(floatval("."));"#,
    #"var_dump(floatval("+.e1"));"#,
    #"var_dump(floatval("00012"));"#,
    #"var_dump(floatval(" \n1.5"));"#,
    #"var_dump(floatval("- 1"));"#,
    #"var_dump(floatval("1e5.5"));"#,
    #"var_dump(floatval("1E5"));"#,
    #"var_dump(doubleval("2"));"#,
    #"var_dump(floatval("9007199254740993"));"#,
    #"var_dump(floatval("123456789012345678901234567890"));"#,
    #"var_dump(floatval("0.1e-2"));"#,
    #"var_dump(floatval("4.9e-324"));"#,
    #"var_dump(strval(0.30000000000000004));"#,
    #"var_dump(strval(floatval("1e15")));"#,
    #"var_dump(strval(floatval("1e14")));"#,
    #"var_dump(strval(floatval("1e13")));"#,
    #"var_dump(strval(123456789012345678));"#,
    #"var_dump(strval(0.3333333333333333));"#,
    #"var_dump(strval(0.0001));"#,
    #"var_dump(strval(0.00001));"#,
    #"var_dump(strval(-0.0));"#,
    #"var_dump(strval(1.0));"#,
    #"var_dump(strval(INF));"#,
    #"var_dump(strval(NAN));"#,
    #"var_dump(strval(floatval("-1e400")));"#,
    #"var_dump(strval(floatval("1.5e-7")));"#,
    #"var_dump(strval(floatval("1e20")));"#,
    #"var_dump(strval(floatval("99999999999999.99")));"#,
    #"var_dump(strval(floatval("999999999999999.9")));"#,
    #"var_dump(strval(PHP_INT_MAX));"#,
    #"var_dump(strval(123456.7890123456));"#,
    #"var_dump(strval(floatval("-1.23456789012345e-300")));"#,
    #"var_dump(strval(true));"#,
    #"var_dump(strval(false));"#,
    #"var_dump(strval(null));"#,
    #"var_dump(strval("x"));"#,
    #"var_dump(strval(2.5));"#,
    #"echo 0.1, " ", 1.5, " ", -0.0, " ", 1.0, " ", floatval("1e25"), " ", 0.30000000000000004, " ", floatval("1e-5"), " ", INF, " ", NAN;"#,
    #"echo M_PI, " ", PHP_FLOAT_EPSILON, " ", PHP_FLOAT_MAX, " ", PHP_FLOAT_MIN, " ", PHP_INT_MAX, " ", PHP_INT_MIN, " ", PHP_INT_SIZE;"#,
    #"var_dump(boolval("0"));"#,
    #"var_dump(boolval("0.0"));"#,
    #"var_dump(boolval(" "));"#,
    #"var_dump(boolval([]));"#,
    #"var_dump(boolval(0.0));"#,
    #"var_dump(boolval(-0.0));"#,
    #"var_dump(boolval(NAN));"#,
    #"var_dump(boolval(""));"#,
    #"var_dump(boolval(null));"#,
    #"var_dump(boolval([0]));"#,
    #"var_dump(boolval(2));"#,
    #"var_dump(is_int(5));"#,
    #"var_dump(is_int("5"));"#,
    #"var_dump(is_int(5.0));"#,
    #"var_dump(is_integer(1));"#,
    #"var_dump(is_long(1));"#,
    #"var_dump(is_float(5.0));"#,
    #"var_dump(is_double(1));"#,
    #"var_dump(is_float("1.5"));"#,
    #"var_dump(is_string(""));"#,
    #"var_dump(is_string(1));"#,
    #"var_dump(is_bool(false));"#,
    #"var_dump(is_bool(0));"#,
    #"var_dump(is_array([]));"#,
    #"var_dump(is_array("a"));"#,
    #"var_dump(is_null(null));"#,
    #"var_dump(is_null(""));"#,
    #"var_dump(is_null(0));"#,
    #"var_dump(is_numeric("12"));"#,
    #"var_dump(is_numeric(" 12"));"#,
    #"var_dump(is_numeric("12 "));"#,
    #"var_dump(is_numeric(" 12 "));"#,
    #"var_dump(is_numeric("12abc"));"#,
    #"var_dump(is_numeric("1e3"));"#,
    #"var_dump(is_numeric(".5"));"#,
    #"var_dump(is_numeric("5."));"#,
    #"var_dump(is_numeric("."));"#,
    #"var_dump(is_numeric(""));"#,
    #"var_dump(is_numeric(" "));"#,
    #"var_dump(is_numeric("0x1A"));"#,
    #"var_dump(is_numeric("+1"));"#,
    #"var_dump(is_numeric("-"));"#,
    #"var_dump(is_numeric("1e"));"#,
    #"var_dump(is_numeric(null));"#,
    #"var_dump(is_numeric(true));"#,
    #"var_dump(is_numeric(1.5));"#,
    #"var_dump(is_numeric(NAN));"#,
    #"var_dump(is_numeric("\n12\n"));"#,
    #"var_dump(is_numeric("1_000"));"#,
    #"var_dump(is_numeric("-0"));"#,
    #"var_dump(is_numeric("1e999"));"#,
    #"var_dump(is_numeric("99999999999999999999999"));"#,
    #"var_dump(is_numeric("12\x00"));"#,
    #"var_dump(is_numeric([]));"#,
    #"var_dump(is_numeric("1.e5"));"#,
    #"var_dump(is_numeric("1 2"));"#,
    #"var_dump(is_numeric("-.5"));"#,
    #"var_dump(is_numeric("+.5e-3"));"#,
    #"var_dump(is_numeric("1e+5"));"#,
  ]

  static let dumps = [
    #"var_dump(1);"#,
    #"var_dump(-1);"#,
    #"var_dump(PHP_INT_MAX);"#,
    #"var_dump(PHP_INT_MIN);"#,
    #"var_dump(0);"#,
    #"var_dump(0.1);"#,
    #"var_dump(1.0);"#,
    #"var_dump(-0.0);"#,
    #"var_dump(0.30000000000000004);"#,
    #"var_dump(1.5);"#,
    #"var_dump(100.0);"#,
    #"var_dump(0.0);"#,
    #"var_dump(floatval("1e25"));"#,
    #"var_dump(floatval("1e15"));"#,
    #"var_dump(floatval("1e16"));"#,
    #"var_dump(floatval("1e17"));"#,
    #"var_dump(floatval("123456789012345678"));"#,
    #"var_dump(floatval("1e-5"));"#,
    #"var_dump(floatval("0.0001"));"#,
    #"var_dump(INF);"#,
    #"var_dump(floatval("-1e400"));"#,
    #"var_dump(NAN);"#,
    #"var_dump(floatval("5e-324"));"#,
    #"var_dump(PHP_FLOAT_MAX);"#,
    #"var_dump(floatval("1.5e-7"));"#,
    #"var_dump(floatval("-1.25e100"));"#,
    #"var_dump("");"#,
    #"var_dump("abc");"#,
    #"var_dump("a\x00b");"#,
    #"var_dump("\xff\xfe");"#,
    #"var_dump("line\nbreak");"#,
    #"var_dump("quote\"inside");"#,
    #"var_dump(true);"#,
    #"var_dump(false);"#,
    #"var_dump(null);"#,
    #"var_dump([]);"#,
    #"var_dump([1]);"#,
    #"var_dump([1, [2, []], "x"]);"#,
    #"var_dump([[[]]]);"#,
    #"var_dump([true, [null, [1.5, ["x", [0.1]]]]]);"#,
    #"var_dump([""]);"#,
    #"var_dump([[1, 2], [3, 4]]);"#,
    #"var_dump("one", 2, 3.0, [4], null);"#,
    #"$x = print_r([1, [2, []], "x", 1.0, 0.30000000000000004, true, false, null, -0.0, floatval("1e25")]);"#,
    #"$x = print_r(1.0); $x = print_r(true); $x = print_r(false); $x = print_r(null); $x = print_r([]); $x = print_r("s"); $x = print_r(0.1);"#,
    #"$x = print_r([[[]], [[1, [2]]]]);"#,
    #"echo print_r([1, [2]], true);"#,
    #"echo print_r(2.5, true);"#,
    #"echo print_r(floatval("1e25"), true);"#,
    #"echo print_r("x", true);"#,
    #"echo print_r(null, true);"#,
    #"var_dump(print_r(1, true));"#,
    #"var_dump(print_r([], true));"#,
    #"var_dump(print_r(false, true));"#,
    #"$x = print_r("a\x00\xff");"#,
    #"var_export([1, [2, []], "x", 1.0, 0.30000000000000004, true, false, null, -0.0, floatval("1e25")]);"#,
    #"var_export(["it's \\ \0 \n", INF, floatval("-1e400"), NAN, PHP_INT_MIN, -5]);"#,
    #"echo var_export(true, true), var_export(false, true), var_export(null, true), var_export(-5, true), var_export(0.1, true), var_export(floatval("1e100"), true);"#,
    #"echo var_export("a'b\\c", true), var_export([], true), var_export([[]], true), var_export("\0a\0", true), var_export("\0", true), var_export("", true);"#,
    #"echo var_export(1.0, true), var_export(-0.0, true), var_export(100.0, true), var_export(floatval("1e15"), true), var_export(floatval("1e16"), true), var_export(floatval("1e17"), true);"#,
    #"var_export([[1, [2, [3]]], ["a" . "b"]]);"#,
    #"var_dump(var_export(1, true));"#,
    #"var_dump(var_export([1], true));"#,
  ]

  static let json = [
    #"echo json_encode([1, 1.0, 0.30000000000000004, -0.0, floatval("1e25"), "a/b", true, null, [], [[]]]);"#,
    #"echo json_encode(["\xc3\xa9", "\x01\x1f\"\\", "\t\n\r\x08\x0c", "\x7f", "\xf0\x9f\x98\x80", "\xe2\x80\xa8\xe2\x80\xa9"]);"#,
    #"echo json_encode(3), json_encode(-0), json_encode(PHP_INT_MAX), json_encode(false), json_encode(""), json_encode("0"), json_encode(null);"#,
    #"echo json_encode(floatval("1e15")), json_encode(floatval("1e22")), json_encode(123456789.0), json_encode(floatval("-1.5e-9")), json_encode(0.1), json_encode(3.0);"#,
    #"echo json_encode([1, [2, []], "x/\xc3\xa9"], JSON_PRETTY_PRINT|JSON_UNESCAPED_SLASHES|JSON_UNESCAPED_UNICODE);"#,
    #"echo json_encode([], JSON_PRETTY_PRINT), json_encode([[]], JSON_PRETTY_PRINT), json_encode([1, [2, [3, []]], "a"], JSON_PRETTY_PRINT);"#,
    #"echo json_encode([1, 2], JSON_FORCE_OBJECT), json_encode([], JSON_FORCE_OBJECT), json_encode([[1], []], JSON_FORCE_OBJECT|JSON_PRETTY_PRINT);"#,
    #"echo json_encode("<a href='x'>&\"</a>", JSON_HEX_TAG|JSON_HEX_AMP|JSON_HEX_APOS|JSON_HEX_QUOT), json_encode("<'&\">");"#,
    #"echo json_encode(["12", "1.5", "1e3", "abc", " 1", "1e999", "0x1", "1."], JSON_NUMERIC_CHECK);"#,
    #"echo json_encode([1.0, 0.0, -0.0, floatval("1e15"), floatval("1e25")], JSON_PRESERVE_ZERO_FRACTION);"#,
    #"echo json_encode(["\xe2\x80\xa8", "\xc3\xa9/"], JSON_UNESCAPED_UNICODE), json_encode(["\xe2\x80\xa8"], JSON_UNESCAPED_UNICODE|JSON_UNESCAPED_LINE_TERMINATORS);"#,
    #"echo json_encode("a\xffb", JSON_INVALID_UTF8_IGNORE), json_encode("a\xffb", JSON_INVALID_UTF8_SUBSTITUTE), json_encode("a\xffb", JSON_INVALID_UTF8_SUBSTITUTE|JSON_UNESCAPED_UNICODE);"#,
    #"echo json_encode("\xe2\x82a\xc3\xc0\xf0\x9f\x98", JSON_INVALID_UTF8_SUBSTITUTE), json_encode("\xe2\x82a\xc3\xc0\xf0\x9f\x98", JSON_INVALID_UTF8_IGNORE);"#,
    #"echo json_encode("\xf0\x9f\xc3\xa9\xed\xbf\xbf\xf5\x80\xc0\xaf\xe0\x80\x80\xf4\x90\x80\x80", JSON_INVALID_UTF8_SUBSTITUTE);"#,
    #"var_dump(json_encode("\xff"));"#,
    #"var_dump(json_encode("\xc3"));"#,
    #"var_dump(json_encode("\xed\xa0\x80"));"#,
    #"var_dump(json_encode("\xf4\x90\x80\x80"));"#,
    #"var_dump(json_encode("\xc0\xaf"));"#,
    #"var_dump(json_encode(INF));"#,
    #"var_dump(json_encode(NAN));"#,
    #"var_dump(json_encode([1, NAN]));"#,
    #"var_dump(json_encode([1, INF], JSON_PARTIAL_OUTPUT_ON_ERROR));"#,
    #"var_dump(json_encode(["a\xff", 2], JSON_PARTIAL_OUTPUT_ON_ERROR));"#,
    #"var_dump(json_encode("\xff", JSON_THROW_ON_ERROR|JSON_PARTIAL_OUTPUT_ON_ERROR));"#,
    #"var_dump(json_encode([[[1]]], 0, 2));"#,
    #"var_dump(json_encode([[[1]]], 0, 3));"#,
    #"var_dump(json_encode([[[1]]], JSON_PARTIAL_OUTPUT_ON_ERROR, 1));"#,
    #"var_dump(json_encode("x", 0, 0));"#,
    #"var_dump(json_encode([], 0, 0));"#,
  ]

  /// PHP's ordered maps: keys, the next index, unset, the array functions, comparison.
  static let arrays = [
    #"var_dump([1, 2, 'k' => 'v', 5 => 'five', 'six']);"#,
    #"var_dump(['8' => 'a', '08' => 'b', '-3' => 'c', '1.5' => 'd', true => 'e', null => 'f', 2.7 => 'g']);"#,
    #"$a = [-5 => 'a']; $a[] = 'b'; var_dump($a);"#,
    #"$a = [3 => 'x']; unset($a[3]); $a[] = 'y'; var_dump($a);"#,
    #"$a = [1, 2, 3]; unset($a[1]); $a[] = 4; var_dump($a); echo json_encode($a);"#,
    #"$a = [1, 2, 3]; unset($a[2]); echo json_encode($a), json_encode(array_values($a));"#,
    #"$a = ['x' => 1]; $a['y']['z'][] = 2; echo json_encode($a);"#,
    #"$a = []; $a[] = 1; $a['k'] = 2; $a[] = 3; $x = print_r($a); var_export($a);"#,
    #"$a = [1, 2]; $b = $a; $b[] = 3; echo count($a), count($b);"#,
    #"$c = ['c1', 'c2', 'c3']; $k = array_search('c2', $c, true); unset($c[$k]); var_dump($k, $c, count($c));"#,
    #"var_dump(array_search('1', [0, 1, '1'], true), array_search('1', [0, 1]), array_search('x', [1]));"#,
    #"var_dump(in_array('abc', [0]), in_array(0, ['a']), in_array(null, ['']), in_array('1e1', ['10']), in_array(1, ['1'], true));"#,
    #"var_dump(array_keys(['a' => 1, 'b' => 2, 5 => 1]), array_keys(['a' => 1, 'b' => '1', 'c' => 2], 1));"#,
    #"var_dump(array_merge([5 => 'a', 'k' => 'b'], [5 => 'c', 'k' => 'd'], []), array_merge());"#,
    #"$q = [1]; var_dump(array_push($q, 2, 3), $q, array_pop($q), array_shift($q), $q);"#,
    #"$q = [5 => 'a', 'k' => 'b', 9 => 'c']; var_dump(array_shift($q), $q); $q[] = 'd'; var_dump($q);"#,
    #"$q = [5 => 'a', 6 => 'b']; $x = array_pop($q); $q[] = 'c'; var_dump($q);"#,
    #"$q = []; var_dump(array_pop($q), array_shift($q), $q);"#,
    #"$q = ['k' => 1, 4 => 2]; var_dump(array_unshift($q, 'x', 'y'), $q);"#,
    #"var_dump(array_key_exists('k', ['k' => null]), isset(['k' => null]['k']), array_key_exists(1, [1 => 0]));"#,
    #"var_dump(range(0, 10, 3), range(5, 1, 2), range('a', 'e', 2), range('z', 'w'));"#,
    #"var_dump(range(1, 2, 0.5), range(0.5, 2), range(1, 3, 1.0));"#,
    #"var_dump([1, 2] == [1, 2], [1, 2] === [1 => 2, 0 => 1], ['a' => 1, 'b' => 2] == ['b' => 2, 'a' => 1]);"#,
    #"var_dump(['a' => 1, 'b' => 2] === ['b' => 2, 'a' => 1], [1, 2] < [1, 3], [1, 2, 3] > [5, 6], [] == false);"#,
    #"var_dump(['a' => 1] <=> ['b' => 1], ['b' => 1] <=> ['a' => 1], [1, 2] <=> [1, 2]);"#,
    #"var_dump([1, 2] + [5, 6, 7], ['a' => 1] + ['a' => 2, 'b' => 3]);"#,
    #"$a = ['k' => ['n' => 1]]; var_dump(isset($a['k']), isset($a['k']['n']), isset($a['k']['x']), isset($a['x']['y']), isset($a, $b));"#,
    #"$a = ['z' => 0, 'e' => '', 'n' => null]; var_dump(empty($a['z']), empty($a['e']), empty($a['n']), empty($a['x']), empty($a), empty($nope));"#,
    #"$a = [1, 2]; unset($a[5], $a['x'], $nope, $a[0]); var_dump($a);"#,
    #"$a = ['x' => 1, 'y' => 2]; unset($a); var_dump(isset($a));"#,
    #"$s = 'hello'; var_dump($s[0], $s[-1], $s['1'], isset($s[4]), isset($s[5]), isset($s[-5]));"#,
    #"$a = array(1, 'k' => array(2, 3), ); var_dump($a, count($a), count($a['k']));"#,
    #"var_dump((array) 'x', (array) null, (array) [1], (bool) [], (bool) [0]);"#,
    #"$a = [3 => 'c', 1 => 'a']; var_dump(implode(',', $a), array_values($a), array_keys($a));"#,
    #"var_dump(json_encode([3 => 'c']), json_encode([0 => 'a', 1 => 'b']), json_encode([1 => 'a']), json_encode(['a' => [1, 2]]));"#,
    #"$a = ['x' => 1]; $a['x'] .= 'y'; $a['n'] ??= 5; $a['n'] += 1; var_dump($a);"#,
    #"$a = [1, 2, 3]; $a[1]++; --$a[2]; var_dump($a);"#,
    #"$m = [[1, 2], [3, 4]]; $m[1][0] = 9; echo $m[1][0], $m[0][1], count($m);"#,
    #"var_dump(str_replace('a', 'b', ['x' => 'aa', 5 => 'ca']));"#,
    #"[$x, $y] = [1, 2]; var_dump($x, $y);"#,
    #"$a = []; var_dump(@$nope, @$a['k'], @$a[1] . 'x', @strlen($nope2));"#,
    #"$i = 0; $a = [5, 5]; $a[$i++] += 1; $a[$i++] .= 'x'; $b = [0, 0]; $b[$i++]++; $c = []; $c[$i++] ??= 7; var_dump($i, $a, $b, $c);"#,
  ]

  /// PHP's Socket object: sockshell's handle #N is PHP's object #N when sockets are the only
  /// objects, as in these programs.
  static let sockets = [
    #"$s = socket_create(AF_INET, SOCK_STREAM, 0); var_dump($s); socket_close($s);"#,
    #"$a = socket_create(AF_INET, SOCK_STREAM, 0); $b = socket_create(AF_INET, SOCK_DGRAM, 0); var_dump([$a, [$b]]);"#,
    #"$s = socket_create(AF_INET, SOCK_STREAM, 0); $x = print_r($s); $x = print_r([$s, 1]);"#,
    #"$s = socket_create(AF_INET, SOCK_STREAM, 0); var_export($s); var_export([$s, [$s]]);"#,
    #"$s = socket_create(AF_INET, SOCK_STREAM, 0); echo json_encode([$s, 1]), json_encode($s, JSON_PRETTY_PRINT);"#,
    #"$s = socket_create(AF_INET, SOCK_STREAM, 0); var_dump(is_array($s), is_null($s), is_numeric($s), boolval($s));"#,
    #"socket_create_pair(AF_UNIX, SOCK_STREAM, 0, $x); $r = [5 => $x[0], 9 => $x[1]]; socket_write($x[0], "a"); $w = null; $e = null; socket_select($r, $w, $e, 0); var_dump($r);"#,
  ]

  static let allCases = searching + building + formatting + conversions + dumps + json + arrays

  @Test func thereAreEnoughCases() {
    #expect(Self.allCases.count >= 150, "\(Self.allCases.count) cases")
  }

  @Test(.enabled(if: Paths.which("php") != nil, "php-cli is not installed"), arguments: allCases)
  func printsWhatPHPPrints(_ code: String) throws {
    let (ours, messages) = Self.sockshell(code)
    let theirs = try #require(Self.phpOutputs[code], "php-cli did not run the case")
    #expect(
      ours == theirs,
      "sockshell printed \(Self.show(ours))\nphp printed       \(Self.show(theirs))")
    // PHP's warnings and notices go to stderr there; sockshell's are messages. Neither is an error.
    for message in messages {
      #expect(
        message.hasPrefix("sockshell: warning: ") || message.hasPrefix("sockshell: notice: "), "\(message)")
    }
  }

  @Test(.enabled(if: Paths.which("php") != nil, "php-cli is not installed"), arguments: sockets)
  func showsASocketAsPHPShowsItsSocketObject(_ code: String) throws {
    let (ours, messages) = Self.sockshell(code)
    let theirs = try Self.php(code)
    #expect(ours == theirs, "sockshell printed \(Self.show(ours))\nphp printed       \(Self.show(theirs))")
    #expect(messages == [])
  }

  /// Runs a line in a fresh session; the bytes it printed and the messages it gave.
  static func sockshell(_ code: String) -> ([UInt8], [String]) {
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: code)
    var bytes: [UInt8] = []
    for case .text(let text) in output.events { bytes += text }
    return (bytes, output.messages)
  }

  /// php-cli's settings that decide what floats look like, pinned to PHP 8's defaults, and its
  /// warnings kept off stdout.
  static let phpSettings = [
    "-d", "precision=14", "-d", "serialize_precision=-1", "-d", "display_errors=stderr", "-d", "log_errors=0",
  ]

  /// What php-cli prints for one line, run as a program of its own.
  static func php(_ code: String) throws -> [UInt8] {
    try runProcess(Paths.which("php") ?? "php", phpSettings + ["-r", code]).stdoutBytes
  }

  /// What php-cli prints for every case, from one run: each case in a function of its own (its
  /// variables its own), its output caught by an output buffer and written as hex on a line.
  static let phpOutputs: [String: [UInt8]] = {
    guard let php = Paths.which("php") else { return [:] }
    var program = "<?php\n"
    for code in allCases {
      program += "ob_start(); (function () { \(code) })(); echo bin2hex(ob_get_clean()), \"\\n\";\n"
    }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("sockshell-php-\(getpid()).php")
      .path
    guard FileManager.default.createFile(atPath: file, contents: Data(program.utf8)) else { return [:] }
    defer { try? FileManager.default.removeItem(atPath: file) }
    guard let result = try? runProcess(php, phpSettings + [file], timeout: 60) else { return [:] }
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    var outputs: [String: [UInt8]] = [:]
    for (index, code) in allCases.enumerated() where index < lines.count {
      let hex = Array(lines[index].utf8)
      guard hex.count % 2 == 0 else { continue }
      outputs[code] = stride(from: 0, to: hex.count, by: 2).compactMap {
        UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)
      }
    }
    return outputs
  }()

  /// Bytes for a failure message: text as it is, other bytes as \xNN.
  static func show(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self).unicodeScalars.map {
      $0.value < 0x20 && $0 != "\n" || $0 == "\u{FFFD}" ? String(format: "\\x%02x", $0.value) : String($0)
    }.joined()
  }

  // MARK: - Literal expectations, which hold without php-cli

  static let literal: [(code: String, expected: String)] = [
    (
      #"echo 0.1, "|", 0.30000000000000004, "|", floatval("1e25"), "|", -0.0, "|", floatval("1e14");"#,
      "0.1|0.3|1.0E+25|-0|1.0E+14"
    ),
    (
      #"var_dump(0.30000000000000004, 1.0, floatval("1e25"), -0.0, INF, NAN);"#,
      "float(0.30000000000000004)\nfloat(1)\nfloat(1.0E+25)\nfloat(-0)\nfloat(INF)\nfloat(NAN)\n"
    ),
    (
      #"var_dump([1, ["a", []]]);"#,
      "array(2) {\n  [0]=>\n  int(1)\n  [1]=>\n  array(2) {\n    [0]=>\n    string(1) \"a\"\n    [1]=>\n    array(0) {\n    }\n  }\n}\n"
    ),
    (
      #"$x = print_r([1, [2]]);"#,
      "Array\n(\n    [0] => 1\n    [1] => Array\n        (\n            [0] => 2\n        )\n\n)\n"
    ),
    (#"var_export([1.0, "it's", null]);"#, "array (\n  0 => 1.0,\n  1 => 'it\\'s',\n  2 => NULL,\n)"),
    (#"echo json_encode(["a/b", "\xc3\xa9", 1.0, [1, 2]]);"#, #"["a\/b","\u00e9",1,[1,2]]"#),
    (#"echo json_encode([1, [2]], JSON_PRETTY_PRINT);"#, "[\n    1,\n    [\n        2\n    ]\n]"),
    (
      #"echo sprintf("%05.1f|%-4s|%x|%b|%'*6d|%e|%2\$s", 3.14159, "ab", 255, 5, 42, 1234.5);"#,
      "003.1|ab  |ff|101|****42|1.234500e+3|ab"
    ),
    (
      #"echo number_format(1234567.891, 2), " ", number_format(1.005, 2), " ", number_format(0.5);"#,
      "1,234,567.89 1.01 1"
    ),
    (
      #"echo intval("12abc"), " ", intval("0x1A", 16), " ", intval("1e3"), " ", intval("9999999999999999999");"#,
      "12 26 1000 9223372036854775807"
    ),
    (
      #"var_dump(is_numeric(" 12 "), is_numeric("12abc"), strpos("abc", "d"), str_pad("7", 3, "0", STR_PAD_LEFT));"#,
      "bool(true)\nbool(false)\nbool(false)\nstring(3) \"007\"\n"
    ),
    (
      #"var_dump(explode(",", "a,b,c", -1), implode("-", ["x", 1, 1.5]));"#,
      "array(2) {\n  [0]=>\n  string(1) \"a\"\n  [1]=>\n  string(1) \"b\"\n}\nstring(7) \"x-1-1.5\"\n"
    ),
    (
      #"$s = create inet stream; var_dump($s); $x = print_r($s); var_export($s);"#,
      "object(Socket)#1 (0) {\n}\nSocket Object\n(\n)\n\\Socket::__set_state(array(\n))"
    ),
    (
      #"$v = iovec_alloc(1, 4); var_dump($v); $x = print_r($v); var_export($v); echo json_encode($v);"#,
      "object(Iovec)%1 (0) {\n}\nIovec Object\n(\n)\n\\Iovec::__set_state(array(\n)){}"
    ),
  ]

  @Test(arguments: literal.indices)
  func printsTheLiteralExpectation(_ index: Int) {
    let (code, expected) = Self.literal[index]
    let (ours, messages) = Self.sockshell(code)
    #expect(String(decoding: ours, as: UTF8.self) == expected, "\(code)")
    #expect(messages == [], "\(code)")
  }

  // MARK: - The shell around them

  @Test func aBareCallOfAValueFunctionShowsItsValue() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: #"strval(1.5)"#)
    interpreter.run(line: #"is_int(1)"#)
    interpreter.run(line: #"floatval("0.30000000000000004")"#)
    interpreter.run(line: #"floatval("2")"#)
    interpreter.run(line: #"var_dump(1)"#)
    interpreter.run(line: #"sprintf("%05d", 42)"#)
    #expect(output.text == "=> \"1.5\"\n=> true\n=> 0.30000000000000004\n=> 2.0\nint(1)\n=> \"00042\"\n")
  }

  @Test func printfPrintsAndCountsWhatItPrinted() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: #"$n = printf("%s:%d\n", "port", 5353)"#)
    #expect(output.text == "port:5353\n")
    #expect(interpreter.variables["n"] == .int(10))
  }

  @Test func strReplaceSetsItsCountThroughTheVariable() {
    let (interpreter, _) = makeInterpreter()
    interpreter.run(line: #"$r = str_replace(["a", "b"], "x", "abcab", $count)"#)
    #expect(interpreter.variables["r"] == .string("xxcxx"))
    #expect(interpreter.variables["count"] == .int(4))
  }

  @Test func phpsErrorsAreSockshellMessagesInPHPsWords() {
    let cases = [
      (#"sprintf("%y", 1)"#, #"sprintf: Unknown format specifier "y""#),
      (#"sprintf("%s %s", "a")"#, "sprintf: 3 arguments are required, 2 given"),
      (#"sprintf("%", 1)"#, "sprintf: Missing format specifier at end of string"),
      (
        #"strpos("abc", "a", 4)"#,
        "strpos: Argument #3 ($offset) must be contained in argument #1 ($haystack)"
      ),
      (#"str_pad("abc", 5, "")"#, "str_pad: Argument #3 ($pad_string) must be a non-empty string"),
      (#"explode("", "a")"#, "explode: Argument #1 ($separator) cannot be empty"),
      (#"implode(["a"], ",")"#, "implode: Argument #1 ($separator) must be of type string, array given"),
      (#"number_format("abc")"#, "number_format: Argument #1 ($num) must be of type float, string given"),
      (#"json_encode(NAN, JSON_THROW_ON_ERROR)"#, "json_encode: Inf and NaN cannot be JSON encoded"),
      (#"str_replace("a", ["x"], "abc")"#, "str_replace: Argument #2 ($replace) must be of type string"),
    ]
    for (line, expected) in cases {
      let (interpreter, output) = makeInterpreter()
      interpreter.run(line: line)
      #expect(output.messages.count == 1, "\(line)")
      #expect(
        output.messages.first?.hasPrefix("sockshell: " + expected) == true, "\(line): \(output.messages)")
    }
  }

  // MARK: - Bounds

  /// Every size a user gives is checked before anything is allocated; each refusal is one
  /// message that names the limit, and the session goes on.
  @Test func hugeWidthsPrecisionsAndResultsAreRefusedWithOneMessage() {
    let limit = "\(Value.maximumStringLength)"
    let field = "\(FormattedPrint.maximumField)"
    let cases: [(String, String)] = [
      (#"sprintf("%5000d", 1)"#, field),
      (#"sprintf("%.5000f", 1)"#, field),
      (#"sprintf("%2147483647d", 1)"#, "Width must be greater than zero"),
      (#"sprintf("%*d", 9223372036854775807, 1)"#, "Width must be greater than zero"),
      (#"sprintf("%.*f", 5000, 1)"#, field),
      (#"sprintf("%s%s", $big, "b")"#, limit),
      (#"str_pad("x", 16777217)"#, limit),
      (#"str_pad("x", 9223372036854775807)"#, limit),
      (#"str_replace("a", "bbbbbbbbbbbb", $big)"#, limit),
      (#"implode($big, [1, 2])"#, limit),
      (#"number_format(floatval("1e308"), 0, ".", str_repeat("x", 1000000))"#, limit),
      (#"number_format(1, 9223372036854775807)"#, field),
      (#"explode(",", str_repeat(",", 2000000))"#, "\(StringFunctions.maximumPieces)"),
      (#"print_r([$big], true)"#, limit),
      (#"var_export([$big], true)"#, limit),
      (#"json_encode([$big])"#, limit),
    ]
    // One session for all: the 16 MiB string is built once.
    let (interpreter, output) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: #"$s = create inet stream; $big = str_repeat("a", 16777216)"#)
    for (line, expected) in cases {
      output.clear()
      interpreter.run(line: "$r = " + line)
      #expect(output.messages.count == 1, "\(line): \(output.messages)")
      #expect(output.messages.first?.contains(expected) == true, "\(line): \(output.messages)")
      #expect(interpreter.variables["r"] == nil)
      #expect(interpreter.handles.open.count == 1, "the handles survive")
    }
  }

  @Test func aLargeDumpIsPrintedWhole() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: #"$a = str_repeat("a", 16777216); var_dump([$a, $a])"#)
    #expect(output.messages == [])
    var count = 0
    for case .text(let text) in output.events { count += text.count }
    #expect(
      count == 2 * 16_777_216
        + "array(2) {\n  [0]=>\n  string(16777216) \"\"\n  [1]=>\n  string(16777216) \"\"\n}\n".utf8.count)
  }

  @Test func extremeIntegersNeverTrap() {
    let (interpreter, output) = makeInterpreter()
    for line in [
      #"echo sprintf("%d %u %x %o %b %c", PHP_INT_MIN, PHP_INT_MIN, PHP_INT_MIN, PHP_INT_MIN, PHP_INT_MIN, PHP_INT_MIN)"#,
      #"echo intval("-9223372036854775808"), intval("-9223372036854775809"), intval("zzzzzzzzzzzzzzzz", 36)"#,
      #"echo strpos("abc", "a", -9223372036854775807)"#,
      #"echo count(explode(",", "a,b", -9223372036854775807))"#,
      #"echo str_pad("x", -9223372036854775807), number_format(1, -9223372036854775807)"#,
      #"echo intval(floatval("1e308")), intval(floatval("-1e308")), var_export(PHP_INT_MIN, true)"#,
      #"echo json_encode([1], 0, -9223372036854775807), json_encode(1, 9223372036854775807)"#,
    ] {
      interpreter.run(line: line)
    }
    #expect(output.messages.allSatisfy { $0.contains("Argument #3 ($offset)") }, "\(output.messages)")
  }

  /// PHP's `@` keeps the warnings of its operand (arguments included) from showing, and only its own.
  @Test func theAtOperatorSilencesItsOperandOnly() {
    let (ours, messages) = Self.sockshell(#"$a = []; $x = @$a['k']; $y = @strlen($nope); echo $x, $y, $z;"#)
    #expect(ours == Array("0".utf8))
    #expect(messages.count == 1 && messages[0].hasPrefix("sockshell: warning: Undefined variable $z"), "\(messages)")
  }
}
