def prod = args.contains('prod')
topology('cond') {
    box('app') {
        image 'demo'
        if (prod) { restart 'always' } else { restart 'no' }
    }
}
