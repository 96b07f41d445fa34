for ($i = 0; $i < 7; $i++) {
  switch ($i) {
    case 1:
      echo "one "
      break
    case 3:
      continue
    case 4:
      echo "four "
      continue 2
    case 5:
      for ($j = 0; $j < 3; $j++) {
        if ($j == 1) { continue 3 }
        echo "j$j "
      }
      break
    case 6:
      while (true) { break 3 }
      break
    default:
      echo "other "
  }
  echo "$i\n"
}
echo "done $i\n"
