#!/usr/bin/env node
console.log('strictmail-mock');
