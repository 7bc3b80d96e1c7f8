export default { service: 'ts' }
