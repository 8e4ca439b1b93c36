#!/bin/sh
exec web --fast
