topology('p09') {
    3.times { i -> box("w$i") { image 'demo' } }
}
