"""dedupe"""
