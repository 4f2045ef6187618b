topology('modes') {
    box('batch') { image 'demo'; networkMode 'none' }
    box('debug') { image 'demo'; profiles 'debug' }
}
