from examples.shop.services._engine import main
from examples.shop.services.payments import SPEC

main(SPEC)
