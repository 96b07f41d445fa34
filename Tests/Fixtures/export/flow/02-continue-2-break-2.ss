for ($i = 0; $i < 3; $i++) {
  $j = 0
  while (true) {
    $j++
    if ($j == 2) { continue 2 }
    if ($i == 2) { break 2 }
    echo "$i.$j "
  }
}
echo "end $i\n"
