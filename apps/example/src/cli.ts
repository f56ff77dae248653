#!/usr/bin/env node
console.log('demo');
