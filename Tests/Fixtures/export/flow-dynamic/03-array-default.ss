function add($x, $list = []) {
  $list[] = $x
  return count($list)
}
for ($i = 0; $i < 3; $i++) {
  echo add($i) . "\n"
}
