function grow($a) {
  $a[] = 1
  return count($a)
}
$x = [5]
echo grow($x) . "\n"
echo count($x) . "\n"
