topology('loop') {
    3.times { i ->
        box("worker-$i") { image 'demo'; command 'sleep', "${i * 10}" }
    }
}
